"""Open311 GeoReport v2 (issue 4): existing Open311 clients report clues and follow their status.

Mounted at /open311/v2/ (zhifa/urls.py). Endpoints, each in `.json` and `.xml`:

- `discovery`: where the endpoint is, which formats, whom to ask for a key;
- `services`: one service per active clue category (service_code = the category's code);
- `services/<code>`: its definition (the attributes a client may send);
- `requests` (GET): the public list of service requests; (POST, `api_key` required): report a clue;
- `requests/<service_request_id>`: one request;
- `tokens/<token>`: the service_request_id behind a token (the clue's tracking code).

Every error is the spec's list of {code, description} (JSON array or `<errors><error>`), with HTTP
400, 403, 404, 405 or 429, whatever the client sends: garbage is answered, never a 500. Views are in
views.py, parameters in params.py, rendering in render.py, the public shape of a clue in public.py,
the api_key and rate limit in access.py, and the write in services.py (through
intake.services.report.clue_report_public, source "open311").
"""
