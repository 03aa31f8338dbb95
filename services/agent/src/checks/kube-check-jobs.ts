import { type KubeResources } from '../kube/index.js';
import { FIELD_MANAGER } from '../kube-cluster-port.js';
import { type CheckJobsCluster } from './check-job-runner.js';

/**
 * Check Jobs in a real cluster: created by server-side apply (forced, under the agent's field
 * manager), so applying a Job that exists already — a restarted agent — changes nothing and makes
 * no second one; read back as they are (undefined once deleted).
 */
export function kubeCheckJobs(resources: KubeResources): CheckJobsCluster {
  return {
    createJob: async (job) => {
      await resources.apply(job, { fieldManager: FIELD_MANAGER, force: true });
    },
    readJob: (namespace, name) =>
      resources.get({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace } }),
  };
}
