-- wrk script: every request is the page's POST /api/messages with a short JSON message.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"benchmark message"}'
