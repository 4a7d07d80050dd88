"""SCO-KG server: SPARQL endpoint and linked-data pages (Flask). `server.app.create_app` builds the app."""
