"""Parent councils (002:L6812-8084): services, selectors, forms, views."""
