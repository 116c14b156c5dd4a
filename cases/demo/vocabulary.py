"""Word lists for the synthetic municipality: names, places, teams and notes.

Plain tuples in a fixed order, so that a seeded random generator picks the
same words on every run. The names are common Danish names (and names common
among young Danes of other origins); combinations are random, so any likeness
to a real person is a coincidence. No CPR numbers are ever generated.
"""

from __future__ import annotations

FEMALE_FIRST_NAMES = (
    "Emma", "Ida", "Clara", "Freja", "Sofia", "Alma", "Ella", "Anna", "Laura", "Karla",
    "Josefine", "Mathilde", "Maja", "Nora", "Agnes", "Olivia", "Sofie", "Caroline", "Emilie", "Frida",
    "Asta", "Lærke", "Signe", "Cecilie", "Amalie", "Julie", "Liv", "Astrid", "Vigga", "Mille",
    "Ellen", "Esther", "Line", "Sara", "Yasmin", "Aisha", "Fatima", "Mariam", "Zainab", "Leyla",
    "Amira", "Hiba", "Søs", "Bjørg", "Åse", "Sørine", "Tenna", "Stine", "Louise", "Nanna",
    "Rikke", "Mette", "Camilla", "Katrine", "Naja", "Malou", "Selma", "Ronja", "Dicte", "Merle",
)  # fmt: skip

MALE_FIRST_NAMES = (
    "William", "Noah", "Oscar", "Lucas", "Carl", "Victor", "Malthe", "Alfred", "Emil", "Magnus",
    "Elias", "Aksel", "Anton", "August", "Villads", "Oliver", "Frederik", "Mikkel", "Rasmus", "Mads",
    "Jonas", "Kasper", "Tobias", "Sebastian", "Jakob", "Nikolaj", "Mathias", "Christoffer", "Ahmed", "Ali",
    "Mohammed", "Omar", "Yusuf", "Hamza", "Ibrahim", "Mustafa", "Emre", "Bilal", "Jørgen", "Søren",
    "Bjørn", "Asbjørn", "Torbjørn", "Jens", "Niels", "Bo", "Thor", "Storm", "Sigurd", "Halfdan",
    "Marius", "Benjamin", "Adam", "Sander", "Silas", "Loke", "Johan", "Kristian", "Martin", "Patrick",
)  # fmt: skip

LAST_NAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
    "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
    "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen",
    "Lund", "Schmidt", "Eriksen", "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen",
    "Iversen", "Østergaard", "Jeppesen", "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Jespersen", "Mogensen",
    "Skov", "Nørgaard", "Bach", "Dahl", "Bertelsen", "Søndergaard", "Bøgh", "Kjærgaard", "Dalsgaard",
    "Ali", "Hussein", "Yilmaz", "Ahmed", "Khan", "Mohamed", "Demir", "Öztürk", "Haddad", "Abdi",
)  # fmt: skip

# Ballerup-like housing areas (003 is Ballerup's youth effort).
HOUSING_AREAS = (
    "Hedeparken", "Grantoften", "Nordbuen", "Præstebro", "Ballerup Centrum", "Måløv", "Skovlunde",
    "Egebjerg", "Lindehøj", "Østerhøj", "Baltorp", "Magleparken", "Rugvænget", "Banegårdsparken",
    "Sønderhaven", "Skovvejen",
)  # fmt: skip

STREETS = (
    "Hedeparken", "Grantoften", "Nordbuen", "Præstebrovej", "Centrumgaden", "Måløv Byvej", "Skovlunde Byvej",
    "Egebjergvej", "Lindehøjvej", "Østerhøjvej", "Baltorpvej", "Magleparken", "Rugvænget", "Banegårdsvej",
    "Sønderhaven", "Skovvejen",
)  # fmt: skip

DISTRICT_TEAMS = (
    "Team Nord", "Team Syd", "Team Vest", "Team Øst", "Team Centrum", "Team Måløv", "Team Skovlunde",
    "Team Hedeparken", "Team Grantoften", "Team Egebjerg", "Team Lindehøj", "Team Østerhøj", "Team Baltorp",
    "Team Magleparken", "Team Sønderhaven", "Team Rugvænget", "Team Præstebro", "Team Nordbuen", "Team Lautrup",
    "Team Kildedal", "Team Harrestrup", "Team Pederstrup", "Team Råmosen", "Team Ågerup",
)  # fmt: skip

HOUSING_TEAMS = ("Boligteamet", "Boligteamet Vest", "Boligteamet Øst", "Boligteamet Syd")

PROBLEM_AREAS = (
    "Skolefravær", "Misbrug", "Kriminalitet", "Psykisk sårbarhed", "Hjemløshed", "Bandetilknytning",
    "Ensomhed", "Familiekonflikter", "Økonomi og gæld", "Ledighed",
)  # fmt: skip

# Which problem area goes with which risk flag (YoungPerson.RISK_FLAGS order).
FLAG_PROBLEM_AREA = (0, 1, 2, 3, 4, 5)
OTHER_PROBLEM_AREAS = (6, 7, 8, 9)

INVOLVED_PARTIES_YOUNG = ("Forældre", "Sagsbehandler", "UU-vejleder", "SSP", "Skole", "Politi")
INVOLVED_PARTIES_ADULT = ("Sagsbehandler", "Jobcenter", "Forældre", "Bostøtte", "Misbrugscenter", "Psykiatrien")

PAUSE_REASONS = ("Varetægtsfængslet", "Indlagt på hospital", "Ophold i udlandet")

# Short notes, never naming anyone (notes stay out of analyst output anyway).
NOTES_HELD = (
    "Gåtur og snak om skolen.",
    "Fulgt til jobcentret.",
    "Fulgt til lægen.",
    "Fodbold i klubben, god stemning.",
    "Snak om lejlighed og budget.",
    "Hjælp til ansøgning på uddannelse.",
    "Mødtes i ungdomsklubben.",
    "Kaffe og snak om fremtiden.",
    "Talte med mor i telefonen om aftaler.",
    "Planlagt næste møde med UU-vejlederen.",
    "Virker gladere, sover bedre.",
    "Er begyndt i praktik, det går godt.",
    "Snak om venner og fritid.",
    "Tur i svømmehallen.",
    "Lektiehjælp og madlavning.",
    "Netværkskort opdateret sammen.",
    "Forberedelse til mødet med skolen.",
    "Bekymret for økonomien, aftalt hjælp til budget.",
)
NOTES_CANCELLED = ("Aflyst pga. sygdom.", "Aflyst, ny tid aftalt.", "Flyttet til næste uge.")
NOTES_NO_SHOW = ("Mødte ikke op; sms sendt.", "Ikke hjemme, lagt besked.", "Svarer ikke, prøver igen i morgen.")
