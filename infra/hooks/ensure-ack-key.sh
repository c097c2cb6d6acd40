#!/bin/sh
# azd preprovision hook: make sure the azd environment has CAMPAIGNS_ACK_KEY, the base64 HMAC key (32 random bytes)
# that signs acknowledgement links. Generated once; later provisions reuse it, so links already sent stay valid.
# The value goes to Key Vault through a @secure() Bicep parameter; the Function App only holds a Key Vault reference.
set -eu

if existing=$(azd env get-value CAMPAIGNS_ACK_KEY 2>/dev/null) && [ -n "$existing" ]; then
  echo "CAMPAIGNS_ACK_KEY is set for this environment; keeping it."
  exit 0
fi

key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
azd env set CAMPAIGNS_ACK_KEY "$key" >/dev/null
echo "Generated CAMPAIGNS_ACK_KEY (32 random bytes) for this environment."
