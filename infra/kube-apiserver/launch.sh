#!/usr/bin/env bash
# Runs a real Kubernetes control plane on 127.0.0.1 for development and tests: etcd 3.4,
# kube-apiserver 1.20.2 and (unless --no-controller-manager) kube-controller-manager, all as
# child processes of this script, with their data, certificates and logs in STATE_DIR.
# No scheduler and no kubelet: Pods stay Pending, everything else (CRDs, RBAC, Deployments →
# ReplicaSets, namespace deletion, service-account tokens, watches, 410 Gone) is real.
#
#   infra/kube-apiserver/launch.sh [--no-controller-manager] STATE_DIR
#   kubectl --kubeconfig STATE_DIR/kubeconfig get ns      # in another terminal
#
# Prints the kubeconfig path once /readyz answers, then stays in the foreground until
# SIGINT/SIGTERM (Ctrl-C) and stops every child on the way out. Start it again on the same
# STATE_DIR and it reuses the certificates, ports (when still free) and the etcd data.
#
# Binaries: $HINDSIGHT_KUBE_BIN, else ${HINDSIGHT_KUBE_HOME:-$HOME/.cache/hindsight/kube}/v1.20.2/bin
# (built there by build.sh next to this script when missing; ~5 minutes once).
set -euo pipefail

usage() { echo "usage: $0 [--no-controller-manager] STATE_DIR" >&2; exit 2; }
controller_manager=1
state=""
while (($#)); do
  case $1 in
    --no-controller-manager) controller_manager=0 ;;
    -h | --help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [[ -z $state ]] || usage; state=$1 ;;
  esac
  shift
done
[[ -n $state ]] || usage

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${HINDSIGHT_KUBE_BIN:-${HINDSIGHT_KUBE_HOME:-$HOME/.cache/hindsight/kube}/v1.20.2/bin}
if [[ ! -x $bin/kube-apiserver && -z ${HINDSIGHT_KUBE_BIN:-} ]]; then
  echo "kube binaries missing in $bin: building them once (~5 minutes)" >&2
  "$here/build.sh" >&2
fi
for b in etcd kube-apiserver kube-controller-manager; do
  [[ -x $bin/$b ]] || { echo "missing $bin/$b (run $here/build.sh)" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "openssl is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

mkdir -p "$state"/{pki,logs}
state=$(cd "$state" && pwd)
pki=$state/pki
logs=$state/logs

# --- ports: reuse the ones of the last run while free, else pick free ones -------------------
port_free() { ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
picked=" "
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    [[ $picked == *" $p "* ]] && continue
    port_free "$p" && { picked+="$p "; echo "$p"; return; }
  done
}
etcd_client_port="" etcd_peer_port="" apiserver_port=""
# shellcheck disable=SC1091
[[ -f $state/ports.env ]] && source "$state/ports.env"
for v in etcd_client_port etcd_peer_port apiserver_port; do
  if [[ -z ${!v} ]] || ! port_free "${!v}"; then
    printf -v "$v" '%s' "$(free_port)"
  fi
  picked+="${!v} "
done
printf 'etcd_client_port=%s\netcd_peer_port=%s\napiserver_port=%s\n' \
  "$etcd_client_port" "$etcd_peer_port" "$apiserver_port" >"$state/ports.env"

# --- certificates, keys and tokens (generated once per state folder) --------------------------
if [[ ! -f $pki/apiserver.crt ]]; then
  (
    cd "$pki"
    # a CA, which signs the serving certificate and is the root CA handed to pods
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=hindsight-test-ca \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout ca.key -out ca.crt 2>/dev/null
    # the API server's serving certificate: clients connect to https://127.0.0.1
    openssl req -new -newkey rsa:2048 -nodes -subj /CN=kube-apiserver \
      -keyout apiserver.key -out apiserver.csr 2>/dev/null
    printf '%s\n' \
      'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc' \
      'extendedKeyUsage=serverAuth' 'keyUsage=critical,digitalSignature,keyEncipherment' >apiserver.ext
    openssl x509 -req -days 3650 -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    # signs and verifies service-account tokens
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    # static bearer tokens: token,user,uid,"group"
    admin_token=$(openssl rand -hex 24)
    cm_token=$(openssl rand -hex 24)
    printf '%s,admin,admin,"system:masters"\n%s,system:kube-controller-manager,kube-controller-manager,"system:masters"\n' \
      "$admin_token" "$cm_token" >tokens.csv
    chmod 600 ./*.key tokens.csv
  )
fi
admin_token=$(sed -n '1s/,.*//p' "$pki/tokens.csv")
cm_token=$(sed -n '2s/,.*//p' "$pki/tokens.csv")
server=https://127.0.0.1:$apiserver_port

write_kubeconfig() { # $1 file, $2 user, $3 token
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: hindsight-test
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
- name: $2
  user:
    token: $3
contexts:
- name: hindsight-test
  context:
    cluster: hindsight-test
    user: $2
current-context: hindsight-test
EOF
  chmod 600 "$1"
}

# --- children: started in order, stopped in reverse order -------------------------------------
names=() pids=()
stop_all() {
  local i pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "${names[i]} ($pid) ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'status=$?; trap - EXIT INT TERM HUP; stop_all; exit $status' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

start_child() { # $1 name, rest: command
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  names+=("$name")
  pids+=($!)
}

wait_until() { # $1 name, $2 timeout s, rest: probe command
  local name=$1 timeout=$2 t0=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "${pids[-1]}" 2>/dev/null || ((SECONDS - t0 >= timeout)); then
      echo "$name did not become ready in ${timeout} s; last lines of $logs/$name.log:" >&2
      tail -n 30 "$logs/$name.log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

t0=$SECONDS
start_child etcd "$bin/etcd" \
  --name=hindsight --data-dir="$state/etcd" \
  --listen-client-urls="http://127.0.0.1:$etcd_client_port" \
  --advertise-client-urls="http://127.0.0.1:$etcd_client_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="hindsight=http://127.0.0.1:$etcd_peer_port" \
  --logger=zap --log-outputs=stderr
wait_until etcd 60 curl -fsS "http://127.0.0.1:$etcd_client_port/health"

start_child kube-apiserver "$bin/kube-apiserver" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
  --secure-port="$apiserver_port" --insecure-port=0 \
  --etcd-servers="http://127.0.0.1:$etcd_client_port" \
  --cert-dir="$state/apiserver" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --token-auth-file="$pki/tokens.csv" \
  --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" \
  --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 \
  --disable-admission-plugins=ServiceAccount \
  --endpoint-reconciler-type=none \
  --allow-privileged=true \
  --profiling=false
wait_until kube-apiserver 60 curl -fsS --cacert "$pki/ca.crt" \
  -H "Authorization: Bearer $admin_token" "$server/readyz"

write_kubeconfig "$state/kubeconfig" admin "$admin_token"

if ((controller_manager)); then
  write_kubeconfig "$state/controller-manager.kubeconfig" kube-controller-manager "$cm_token"
  start_child kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig="$state/controller-manager.kubeconfig" \
    --secure-port=0 --port=0 \
    --use-service-account-credentials=false \
    --root-ca-file="$pki/ca.crt" \
    --service-account-private-key-file="$pki/sa.key" \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --controllers='*' \
    --leader-elect=false
fi

echo "ready in $((SECONDS - t0)) s: $server (etcd http://127.0.0.1:$etcd_client_port), logs in $logs" >&2
echo "$state/kubeconfig"

# Foreground until a signal, or until a child dies (which is an error).
set +e
wait -n "${pids[@]}"
status=$?
set -e
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[i]}" 2>/dev/null; then
    echo "${names[i]} exited (status $status); last lines of $logs/${names[i]}.log:" >&2
    tail -n 30 "$logs/${names[i]}.log" >&2
  fi
done
exit 1
