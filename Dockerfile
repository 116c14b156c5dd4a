# Production image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint needs Pango and HarfBuzz; gettext compiles the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
       libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock ./
COPY youthcase ./youthcase
COPY cases ./cases
COPY interventions ./interventions
COPY outcomes ./outcomes
COPY accounts ./accounts
RUN pip install --no-cache-dir -c requirements.lock .
COPY . .
RUN DJANGO_DEBUG=true python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 youthcase && chown -R youthcase /app
USER youthcase
EXPOSE 8000
