#!/bin/sh
# Serves the page the build stage rendered for this platform.
echo "hello from $(cat /app/arch), listening on :8080"
exec httpd -f -p 8080 -h /app/www
