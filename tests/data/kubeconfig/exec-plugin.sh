#!/bin/sh
# Test exec credential plugin. Behaviour comes from the environment (set through the kubeconfig's exec.env):
#   PLUGIN_MODE     token (default) | cert | fail | sleep | garbage | wrong-version
#   PLUGIN_COUNTER  file that gets one line per run
#   PLUGIN_EXPIRY   expirationTimestamp to return (RFC 3339), none when empty
#   PLUGIN_INFO     file that receives $KUBERNETES_EXEC_INFO
#   PLUGIN_CERT / PLUGIN_KEY  PEM files returned in cert mode
# It answers with the apiVersion found in KUBERNETES_EXEC_INFO, as real plugins do.
api=$(printf '%s' "$KUBERNETES_EXEC_INFO" | sed -n 's/.*"apiVersion":"\([^"]*\)".*/\1/p')
[ -n "$PLUGIN_COUNTER" ] && echo run >> "$PLUGIN_COUNTER"
[ -n "$PLUGIN_INFO" ] && printf '%s' "$KUBERNETES_EXEC_INFO" > "$PLUGIN_INFO"
runs=0
[ -n "$PLUGIN_COUNTER" ] && runs=$(wc -l < "$PLUGIN_COUNTER" | tr -d ' ')
expiry=""
[ -n "$PLUGIN_EXPIRY" ] && expiry=",\"expirationTimestamp\":\"$PLUGIN_EXPIRY\""
pem() { sed ':a;N;$!ba;s/\n/\\n/g' "$1"; }
case "${PLUGIN_MODE:-token}" in
  fail)
    echo "error: you must be logged in to the server; run 'test-login' first" >&2
    exit 3 ;;
  sleep)
    exec sleep 30 ;;
  garbage)
    echo "not json at all" ;;
  wrong-version)
    echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1alpha1","status":{"token":"x"}}' ;;
  cert)
    printf '{"kind":"ExecCredential","apiVersion":"%s","status":{"clientCertificateData":"%s","clientKeyData":"%s"%s}}\n' \
      "$api" "$(pem "$PLUGIN_CERT")" "$(pem "$PLUGIN_KEY")" "$expiry" ;;
  *)
    printf '{"kind":"ExecCredential","apiVersion":"%s","status":{"token":"plugin-secret-token-%s"%s}}\n' \
      "$api" "$runs" "$expiry" ;;
esac
