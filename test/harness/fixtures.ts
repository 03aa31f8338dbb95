/**
 * Manifests the tests commit to their git repositories. They are templates the hub renders per cluster,
 * so `${cluster.…}` and `${values.…}` stay literal here; tests compare rendered output byte for byte.
 */

/** A ConfigMap naming its cluster and a per-cluster colour from the application's values rules. */
export const WEB_CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: demo
data:
  cluster: \${cluster.name}
  color: \${values.color}
`;

export interface WebDeploymentOptions {
  /** A number, or a `${values.…}` reference the hub fills in per cluster. */
  replicas: string;
  /** The image tag, likewise. */
  tag: string;
  namespace?: string;
  /** Its `region` label: the cluster's own by default (a cluster without one does not render it). */
  region?: string;
}

/** A Deployment `web` labelled with its cluster's region. */
export function webDeployment({
  replicas,
  tag,
  namespace = 'demo',
  region = '${cluster.labels.region}',
}: WebDeploymentOptions): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
  labels:
    region: ${region}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.invalid/web:${tag}
`;
}

/**
 * Files of a commit: namespace `namespace` and in it the ConfigMap `settings` with `greeting` and
 * its cluster's name; tests read the greeting back to see which commit a cluster has.
 */
export function greetingFiles(namespace: string, greeting: string): Record<string, string> {
  return {
    'deploy/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`,
    'deploy/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${namespace}
data:
  greeting: ${greeting}
  cluster: \${cluster.name}
`,
  };
}
