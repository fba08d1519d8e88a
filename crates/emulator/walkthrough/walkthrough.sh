#!/usr/bin/env bash
# The README's walk-through, runnable: client token, create, verify, lock, unlock (request and execute a
# password change, decrypting with the data decryption key), delete while a callback receiver listens.
#
# Start first, from the repository root, in two other terminals:
#   python3 crates/emulator/walkthrough/receiver.py
#   cargo run -p finapi-emulator -- --port 8082 --config crates/emulator/emulator.example.toml
# Needs curl, python3 (to read JSON) and OpenSSL 3 (to decrypt).
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8082}
APP="client_id=partner-web-app&client_secret=partner-web-app-secret-change-me"
DDK=5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

echo "== 1. a client token"
CLIENT=$(curl -s "$BASE/api/v2/oauth/token" -d "grant_type=client_credentials&$APP" | json access_token)
echo "== 2. create jane: 201"
curl -s -w ' %{http_code}\n' "$BASE/api/v2/users" -H "Authorization: Bearer $CLIENT" \
     -H 'Content-Type: application/json' -d '{"id":"jane","password":"secret1","email":"jane@example.com"}'
echo "== 3. this client does not auto-verify: 403 USER_NOT_VERIFIED"
curl -s -w ' %{http_code}\n' "$BASE/api/v2/oauth/token" -d "grant_type=password&$APP&username=jane&password=secret1"
echo "== 4. verify (200), status, and now a user token (200)"
curl -s -w ' %{http_code}\n' -X POST "$BASE/api/v2/users/verify/jane" -H "Authorization: Bearer $CLIENT"
curl -s -w ' %{http_code}\n' "$BASE/api/v2/users/verificationStatus?userId=jane" -H "Authorization: Bearer $CLIENT"
curl -s -o /dev/null -w '%{http_code}\n' "$BASE/api/v2/oauth/token" -d "grant_type=password&$APP&username=jane&password=secret1"
echo "== 5. three wrong passwords lock jane (400 400 400); then even the right one gets 423 LOCKED"
for _ in 1 2 3; do
  curl -s -o /dev/null -w '%{http_code} ' "$BASE/api/v2/oauth/token" -d "grant_type=password&$APP&username=jane&password=wrong"
done
curl -s -w ' %{http_code}\n' "$BASE/api/v2/oauth/token" -d "grant_type=password&$APP&username=jane&password=secret1"
echo "== 6. requestPasswordChange: token and email come encrypted"
CHANGE=$(curl -s "$BASE/api/v2/users/requestPasswordChange" -H "Authorization: Bearer $CLIENT" \
     -H 'Content-Type: application/json' -d '{"userId":"jane"}')
echo "$CHANGE"
echo "== 7. decrypt with the data decryption key"
AES_KEY=$(openssl kdf -keylen 16 -kdfopt digest:SHA1 -kdfopt "pass:$DDK" -kdfopt "hexsalt:$DDK" \
          -kdfopt iter:1000 PBKDF2 | tr -d :)
decrypt() { printf '%s' "$1" | openssl enc -d -aes-128-cbc -K "$AES_KEY" -iv "$DDK" -base64 -A; }
TOKEN=$(decrypt "$(echo "$CHANGE" | json passwordChangeToken)")
echo "passwordChangeToken=$TOKEN userEmail=$(decrypt "$(echo "$CHANGE" | json userEmail)")"
echo "== 8. executePasswordChange (200): unlocked, new password works (200)"
curl -s -w ' %{http_code}\n' "$BASE/api/v2/users/executePasswordChange" -H "Authorization: Bearer $CLIENT" \
     -H 'Content-Type: application/json' \
     -d "{\"userId\":\"jane\",\"password\":\"new-secret1\",\"passwordChangeToken\":\"$TOKEN\"}"
USER=$(curl -s "$BASE/api/v2/oauth/token" -d "grant_type=password&$APP&username=jane&password=new-secret1" | json access_token)
curl -s -w ' %{http_code}\n' "$BASE/api/v2/users" -H "Authorization: Bearer $USER"
echo "== 9. jane deletes herself (200); the receiver prints one callback per app client"
curl -s -w ' %{http_code}\n' -X DELETE "$BASE/api/v2/users" -H "Authorization: Bearer $USER"
echo "== 10. the mandator admin sees her as deleted, id distorted (jXXe)"
ADMIN=$(curl -s "$BASE/api/v2/oauth/token" -d "grant_type=client_credentials&client_id=partner-mandator-admin&client_secret=partner-mandator-admin-secret-change-me" | json access_token)
curl -s -w ' %{http_code}\n' "$BASE/api/v2/mandatorAdmin/getUserList" -H "Authorization: Bearer $ADMIN"
