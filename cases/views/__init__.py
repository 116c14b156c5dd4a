"""Views of cases/, one module per page family. Views are thin: parse with a
form, call one service or selector, render. Every page that shows personal
data writes to the access log."""
