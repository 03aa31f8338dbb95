#!/usr/bin/env bash
# A one-node Kubernetes cluster whose node is REAL: Pods run in containers (containerd + runc, CNI
# bridge networking, kube-proxy Services), unlike the kwok clusters of test/kube/fleet.ts where Pods
# only pretend to run. For what must be real: images, probes, RBAC, `kubectl logs`, Helm installs.
#
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy
#       built from the Go module proxy by test/kube/build-kube.sh (cached under .cache/kube/bin)
#   containerd, runc, CNI plugins (bridge, host-local, portmap, loopback), conntrack, buildah
#       Debian packages, installed here when missing (root only)
#   the Pod sandbox image (pause) and the test workload image (httpd): tiny Go programs under
#       test/kube/node-images, built locally and imported into containerd (no registry is reachable)
#
# Usage:
#   realnode.sh deps                      install the Debian packages (idempotent)
#   realnode.sh start NAME                start cluster NAME; prints the path of its state file
#   realnode.sh import NAME IMAGE...      import images from buildah's store into NAME's containerd
#   realnode.sh stop NAME                 stop it, remove its Pods, network and work dir (idempotent)
#
# The state file (<workdir>/state.json) holds the kubeconfig path, API server URL, node name, host IP
# and Pod subnet. NAME's containerd image store stays in .cache/realnode/NAME/containerd, so images
# are imported once and warm starts are fast.
#
# One real node per machine at a time: kube-proxy owns the host's KUBE-* iptables chains and the Pod
# bridge is a host interface. A second `start` fails with REALNODE_BUSY while one runs.
#
# Machine notes (what this was built on): a VM with cgroup v1 controllers plus a cgroup2 mount
# (hybrid), no systemd, no CAP_SYS_RESOURCE. runc works there (crun refuses hybrid cgroups), so the
# kubelet uses the cgroupfs driver with failCgroupV1=false and containerd may not lower OOM scores.
#
# Environment knobs:
#   FLEETWAVE_CACHE_DIR        cache root (default <repo>/.cache)
#   FLEETWAVE_REALNODE_ROOT    parent of the work dirs (default /tmp)
#   FLEETWAVE_REALNODE_SUBNET  Pod subnet (default 10.244.0.0/24)
#   FLEETWAVE_REALNODE_HOST_IP the address Pods and the API server use for this host (default: the
#                              source address of the default route)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
CACHE_ROOT="${FLEETWAVE_CACHE_DIR:-$REPO_ROOT/.cache}"
BIN="$CACHE_ROOT/kube/bin"
RN_CACHE="$CACHE_ROOT/realnode"
RN_ROOT="${FLEETWAVE_REALNODE_ROOT:-/tmp}"
POD_SUBNET="${FLEETWAVE_REALNODE_SUBNET:-10.244.0.0/24}"
SERVICE_RANGE=10.96.0.0/16
KUBERNETES_SERVICE_IP=10.96.0.1
BRIDGE=fwrealnode0
CNI_BIN=/usr/lib/cni
RUNC=/usr/sbin/runc
PAUSE_IMAGE=localhost/fleetwave/pause:1
HTTPD_IMAGE=localhost/fleetwave/httpd:1
ACTIVE_FILE="$RN_CACHE/active"
export BUILDAH_ISOLATION=chroot

log() { printf '[realnode %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  local code="$1"
  shift
  log "ERROR $code: $*"
  exit 1
}

usage() { die REALNODE_USAGE "usage: realnode.sh deps | start NAME | import NAME IMAGE... | stop NAME"; }

check_name() {
  [[ "$1" =~ ^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$ ]] || die REALNODE_BAD_NAME "cluster name '$1' is not a short DNS label"
}

# ------------------------------------------------------------------------------------ deps
deps() {
  local missing=()
  command -v containerd >/dev/null || missing+=(containerd)
  [[ -x "$RUNC" ]] || missing+=(runc)
  [[ -x "$CNI_BIN/bridge" && -x "$CNI_BIN/host-local" && -x "$CNI_BIN/portmap" ]] || missing+=(containernetworking-plugins)
  command -v conntrack >/dev/null || missing+=(conntrack)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v buildah >/dev/null || missing+=(buildah)
  command -v python3 >/dev/null || missing+=(python3) # free ports
  command -v openssl >/dev/null || missing+=(openssl) # the cluster PKI
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die REALNODE_DEPS "missing Debian packages ${missing[*]}: run as root or install them"
  log "installing ${missing[*]} (Debian packages)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
}

need_bins() {
  local b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    [[ -x "$BIN/$b" ]] || die REALNODE_NO_BINARIES "$BIN/$b is missing: run test/kube/build-kube.sh"
  done
  [[ $(id -u) == 0 ]] || die REALNODE_NOT_ROOT "a real node needs root (containers, bridges, iptables)"
}

host_ip() {
  if [[ -n "${FLEETWAVE_REALNODE_HOST_IP:-}" ]]; then
    echo "$FLEETWAVE_REALNODE_HOST_IP"
    return
  fi
  ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1]); s.close()'; }

# ------------------------------------------------------------------------------------ PKI
pki() {
  local d="$1" ip="$2" node="$3"
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3 -subj /CN=fleetwave-realnode-ca 2>/dev/null
    # cert NAME SUBJECT EXT: a CA-signed key pair.
    cert() {
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3 -extfile "$1.ext" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    cert apiserver /CN=kube-apiserver "subjectAltName=IP:$ip,IP:127.0.0.1,IP:$KUBERNETES_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
    cert admin "/O=system:masters/CN=fleetwave-realnode-admin" "extendedKeyUsage=clientAuth"
    cert kubelet "/O=system:nodes/CN=system:node:$node" "extendedKeyUsage=clientAuth"
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
}

kubeconfig() { # kubeconfig FILE SERVER CERT_NAME
  local d
  d="$(dirname "$1")/pki"
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: realnode
    cluster:
      server: $2
      certificate-authority-data: $(base64 -w0 "$d/ca.crt")
users:
  - name: $3
    user:
      client-certificate-data: $(base64 -w0 "$d/$3.crt")
      client-key-data: $(base64 -w0 "$d/$3.key")
contexts:
  - name: realnode
    context: { cluster: realnode, user: $3 }
current-context: realnode
EOF
}

# launch NAME CMD...: a long-lived process in its own session, logged to logs/NAME.log.
launch() {
  local name="$1"
  shift
  setsid "$@" >"$WORK/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$WORK/pids/$name"
}

wait_for() { # wait_for WHAT SECONDS CMD...
  local what="$1" secs="$2" i
  shift 2
  for ((i = 0; i < secs * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die REALNODE_TIMEOUT "$what not ready after ${secs}s; logs in $WORK/logs"
}

# ----------------------------------------------------------------------------- containerd
containerd_config() {
  local root="$1"
  cat >"$WORK/containerd.toml" <<EOF
version = 2
root = "$root"
state = "$WORK/containerd-state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$WORK/containerd.sock"
[ttrpc]
  address = "$WORK/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$root/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # No CAP_SYS_RESOURCE on these VMs: containers keep containerd's OOM score rather than a lower one.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$RUNC"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$WORK/cni"
EOF
  mkdir -p "$WORK/cni"
  cat >"$WORK/cni/10-fleetwave.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "fleetwave-realnode",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_SUBNET" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$WORK/cni-ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

ctr_() { ctr --address "$WORK/containerd.sock" --namespace k8s.io "$@"; }

# ------------------------------------------------------------------------- node images
# build_go_image IMAGE DIR USER: a FROM-scratch image holding DIR's Go program (static) as entrypoint.
build_go_image() {
  local image="$1" dir="$2" user="$3" go key out
  go="$(command -v go || echo /usr/local/go/bin/go)"
  key="$(cat "$dir"/*.go | sha256sum | cut -c1-16)"
  if [[ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "io.fleetwave.source-key"}}' "$image" 2>/dev/null || true)" == "$key" ]]; then
    return 0
  fi
  log "$image: building from $dir"
  out="$(mktemp -d)"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod GO111MODULE=off "$go" build -trimpath -ldflags '-s -w' -o "$out/app" .)
  local c
  c="$(buildah from --quiet scratch)"
  buildah copy --quiet "$c" "$out/app" /app >/dev/null
  buildah config --entrypoint '["/app"]' --user "$user" --label io.fleetwave.source-key="$key" "$c"
  buildah commit --quiet --rm "$c" "$image" >/dev/null
  rm -rf "$out"
}

# import_image IMAGE: buildah's IMAGE into this node's containerd, unless the same image ID is there.
import_image() {
  local image="$1" id marker slug archive
  id="$(buildah inspect --type image --format '{{.FromImageID}}' "$image" 2>/dev/null)" ||
    die REALNODE_NO_IMAGE "image $image is not in buildah's store (npm run images builds the hub and agent)"
  slug="$(printf '%s' "$image" | tr '/:' '__')"
  marker="$NODE_CACHE/imported/$slug"
  if [[ -f "$marker" && "$(cat "$marker")" == "$id" ]] && ctr_ images ls -q | grep -qxF "$(normalize "$image")"; then
    return 0
  fi
  local start=$SECONDS
  mkdir -p "$RN_CACHE/archives" "$NODE_CACHE/imported"
  archive="$RN_CACHE/archives/$slug-${id:0:16}.tar"
  if [[ ! -f "$archive" ]]; then
    rm -f "$RN_CACHE/archives/$slug-"*.tar
    buildah push --quiet "$image" "oci-archive:$archive.tmp:$(normalize "$image")" >/dev/null
    mv -f "$archive.tmp" "$archive"
  fi
  ctr_ images import --all-platforms "$archive" >/dev/null
  echo "$id" >"$marker"
  log "$image: imported into containerd in $((SECONDS - start)) s"
}

# docker.io/library/ normalisation, as the kubelet does for Pod image names.
normalize() {
  local n="$1"
  case "$n" in
  */*/*) ;;
  localhost/*) ;;
  */*) n="docker.io/$n" ;;
  *) n="docker.io/library/$n" ;;
  esac
  [[ "$n" == *:* || "$n" == *@* ]] || n="$n:latest"
  echo "$n"
}

# -------------------------------------------------------------------------------- start
start() {
  local name="$1"
  check_name "$name"
  deps
  need_bins
  mkdir -p "$RN_CACHE"
  if [[ -f "$ACTIVE_FILE" ]]; then
    local other
    other="$(cat "$ACTIVE_FILE")"
    if [[ -f "$RN_ROOT/fleetwave-realnode-$other/pids/kubelet" ]] && alive "$(cat "$RN_ROOT/fleetwave-realnode-$other/pids/kubelet")"; then
      die REALNODE_BUSY "real-node cluster '$other' is running (one per machine): realnode.sh stop $other"
    fi
    log "cleaning up after '$other', which did not stop"
    stop "$other"
  fi
  WORK="$RN_ROOT/fleetwave-realnode-$name"
  NODE_CACHE="$RN_CACHE/$name"
  [[ -d "$WORK" ]] && stop "$name"
  echo "$name" >"$ACTIVE_FILE"
  # A start that fails shows why (the tail of each component's log) and leaves nothing running.
  trap 'start_failed "$name"' EXIT
  mkdir -p "$WORK/logs" "$WORK/pids" "$NODE_CACHE"
  local t0=$SECONDS ip node="realnode-$name"
  ip="$(host_ip)"
  [[ -n "$ip" ]] || die REALNODE_NO_HOST_IP "no default route: set FLEETWAVE_REALNODE_HOST_IP"

  # Pod traffic through Service IPs is NATed on the host and must be seen by iptables on the bridge.
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 || die REALNODE_NETFILTER "br_netfilter is not available"

  pki "$WORK/pki" "$ip" "$node"
  local etcd_port etcd_peer api_port kubelet_port kubelet_healthz proxy_healthz proxy_metrics
  etcd_port="$(free_port)" etcd_peer="$(free_port)" api_port="$(free_port)"
  kubelet_port="$(free_port)" kubelet_healthz="$(free_port)" proxy_healthz="$(free_port)" proxy_metrics="$(free_port)"
  local server="https://$ip:$api_port"
  kubeconfig "$WORK/admin.kubeconfig" "$server" admin
  kubeconfig "$WORK/kubelet.kubeconfig" "$server" kubelet

  launch etcd "$BIN/etcd" --name realnode --data-dir "$WORK/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "realnode=http://127.0.0.1:$etcd_peer" --listen-metrics-urls ""

  local p="$WORK/pki"
  launch kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 0.0.0.0 --secure-port "$api_port" --advertise-address "$ip" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" --client-ca-file "$p/ca.crt" \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range "$SERVICE_RANGE" --authorization-mode Node,RBAC --allow-privileged=true \
    --kubelet-client-certificate "$p/admin.crt" --kubelet-client-key "$p/admin.key" \
    --kubelet-preferred-address-types InternalIP --enable-priority-and-fairness=false
  wait_for kube-apiserver 60 "$BIN/kubectl" --kubeconfig "$WORK/admin.kubeconfig" get --raw /readyz

  launch kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$WORK/admin.kubeconfig" \
    --authentication-kubeconfig "$WORK/admin.kubeconfig" --authorization-kubeconfig "$WORK/admin.kubeconfig" \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --use-service-account-credentials=true --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 \
    --controllers '*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller'
  launch kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$WORK/admin.kubeconfig" \
    --authentication-kubeconfig "$WORK/admin.kubeconfig" --authorization-kubeconfig "$WORK/admin.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 0

  # containerd: its image store persists per cluster name, so images are imported once.
  containerd_config "$NODE_CACHE/containerd"
  launch containerd containerd --config "$WORK/containerd.toml"
  wait_for containerd 30 ctr_ version
  build_go_image "$PAUSE_IMAGE" "$HERE/node-images/pause" 65535:65535
  build_go_image "$HTTPD_IMAGE" "$HERE/node-images/httpd" 65532:65532
  import_image "$PAUSE_IMAGE"
  import_image "$HTTPD_IMAGE"

  mkdir -p "$WORK/kubelet" "$WORK/pod-logs"
  cat >"$WORK/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $p/ca.crt }
authorization: { mode: Webhook }
containerRuntimeEndpoint: unix://$WORK/containerd.sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
resolvConf: /etc/resolv.conf
clusterDomain: cluster.local
podLogsDir: $WORK/pod-logs
serializeImagePulls: false
maxPods: 60
podPidsLimit: 4096
evictionHard: { memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2% }
imageGCHighThresholdPercent: 98
imageGCLowThresholdPercent: 97
EOF
  launch kubelet "$BIN/kubelet" --config "$WORK/kubelet.yaml" --kubeconfig "$WORK/kubelet.kubeconfig" \
    --root-dir "$WORK/kubelet" --hostname-override "$node" --node-ip "$ip"
  launch kube-proxy "$BIN/kube-proxy" --kubeconfig "$WORK/admin.kubeconfig" --hostname-override "$node" \
    --proxy-mode iptables --cluster-cidr "$POD_SUBNET" --conntrack-max-per-core 0 \
    --healthz-bind-address "127.0.0.1:$proxy_healthz" --metrics-bind-address "127.0.0.1:$proxy_metrics"

  wait_for "node $node" 90 sh -c "'$BIN/kubectl' --kubeconfig '$WORK/admin.kubeconfig' get node '$node' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
  cat >"$WORK/state.json" <<EOF
{
  "name": "$name",
  "workdir": "$WORK",
  "kubeconfigPath": "$WORK/admin.kubeconfig",
  "server": "$server",
  "nodeName": "$node",
  "hostIp": "$ip",
  "podSubnet": "$POD_SUBNET",
  "httpdImage": "$HTTPD_IMAGE",
  "startupMs": $(((SECONDS - t0) * 1000))
}
EOF
  trap - EXIT
  log "cluster '$name' ready in $((SECONDS - t0)) s: KUBECONFIG=$WORK/admin.kubeconfig, node $node ($ip)"
  echo "$WORK/state.json"
}

start_failed() {
  local code=$? f
  ((code == 0)) && return 0
  for f in "$WORK"/logs/*.log; do
    [[ -f "$f" ]] || continue
    log "--- last lines of $(basename "$f")"
    tail -n 5 "$f" >&2
  done
  stop "$1"
  exit "$code"
}

cmd_import() {
  local name="$1"
  shift
  check_name "$name"
  WORK="$RN_ROOT/fleetwave-realnode-$name"
  NODE_CACHE="$RN_CACHE/$name"
  [[ -S "$WORK/containerd.sock" ]] || die REALNODE_NOT_RUNNING "real-node cluster '$name' is not running"
  local image
  for image in "$@"; do import_image "$image"; done
}

# --------------------------------------------------------------------------------- stop
# alive PID: running, not a zombie (our components are orphans once started, and whoever adopts
# them may reap late: kill -0 alone would wait for that).
alive() { [[ -r "/proc/$1/stat" ]] && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

kill_pidfile() {
  local f="$1" pid i
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      log "$(basename "$f") did not stop within 10 s of SIGTERM: killed"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

stop() {
  local name="$1"
  check_name "$name"
  WORK="$RN_ROOT/fleetwave-realnode-$name"
  if [[ -d "$WORK" ]]; then
    log "stopping cluster '$name'"
    # Controllers first (nothing recreates Pods), then let the kubelet tear the Pods down properly
    # (CNI DEL releases their addresses and veths), then the node itself.
    kill_pidfile "$WORK/pids/kube-controller-manager"
    kill_pidfile "$WORK/pids/kube-scheduler"
    if [[ -f "$WORK/pids/kubelet" ]] && alive "$(cat "$WORK/pids/kubelet")"; then
      "$BIN/kubectl" --kubeconfig "$WORK/admin.kubeconfig" delete pods --all -A --grace-period 1 --wait=false >/dev/null 2>&1 || true
      local i
      for ((i = 0; i < 60; i++)); do
        [[ -z "$(ctr_ tasks ls -q 2>/dev/null)" ]] && break
        sleep 0.5
      done
    fi
    kill_pidfile "$WORK/pids/kubelet"
    kill_pidfile "$WORK/pids/kube-proxy"
    # Whatever still runs: kill its tasks, then the shims that watched them.
    if [[ -S "$WORK/containerd.sock" ]]; then
      local t
      for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
      sleep 0.5
      for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$t" >/dev/null 2>&1 || true; done
    fi
    kill_pidfile "$WORK/pids/containerd"
    pkill_shims
    kill_pidfile "$WORK/pids/kube-apiserver"
    kill_pidfile "$WORK/pids/etcd"
    # kubelet volumes (tmpfs, bind mounts) and containerd's overlay/shm mounts under the work dir.
    local m
    for m in $(awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
    for m in $(awk -v w="$RN_CACHE/$name/" 'index($2, w) == 1 {print $2}' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$WORK"
  fi
  # The host-wide parts (iptables chains, the bridge) belong to the active cluster: leave them to it.
  local active=""
  [[ -f "$ACTIVE_FILE" ]] && active="$(cat "$ACTIVE_FILE")"
  if [[ -z "$active" || "$active" == "$name" ]]; then
    "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
    kubelet_iptables_cleanup
    ip link delete "$BRIDGE" 2>/dev/null || true
    rm -f "$ACTIVE_FILE"
  fi
}

# The kubelet's own chains (KUBE-FIREWALL, KUBE-KUBELET-CANARY), which kube-proxy --cleanup leaves.
kubelet_iptables_cleanup() {
  local tool table chain
  for tool in iptables ip6tables; do
    command -v "$tool" >/dev/null || continue
    for table in filter nat mangle; do
      while "$tool" -t "$table" -D INPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
      while "$tool" -t "$table" -D OUTPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
      for chain in KUBE-FIREWALL KUBE-KUBELET-CANARY; do
        "$tool" -t "$table" -F "$chain" 2>/dev/null || true
        "$tool" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

# Shims of this cluster's containerd (they outlive it by design); matched by its socket path.
pkill_shims() {
  local pid
  for pid in $(pgrep -f containerd-shim-runc-v2 || true); do
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$WORK/containerd.sock"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
}

case "${1:-}" in
deps) deps ;;
start) [[ $# == 2 ]] || usage; start "$2" ;;
import) [[ $# -ge 3 ]] || usage; name="$2"; shift 2; cmd_import "$name" "$@" ;;
stop) [[ $# == 2 ]] || usage; stop "$2" ;;
*) usage ;;
esac
