"""Housing First with CTI (001:L2390-2699): the CTI phases, housing goals and status, the network map."""
