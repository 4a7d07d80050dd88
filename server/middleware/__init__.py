"""HTTP middleware: what every request passes through before and after its route (hosts and origins,
bodies, CORS, compression, validators and the response cache)."""
