import * as fs from 'node:fs';
import * as path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
// globalSetup runs outside Jest's module mapping: a relative import here.
import { withPathAliases } from '../../libs/temporal/src/workflow-bundler';
import { WORKFLOW_BUNDLE_FILE } from './paths';

/** Bundles the workflows once for every time-skipping test (from the TypeScript sources). */
export default async function globalSetup(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '..', '..', 'workflows', 'index.ts'),
    workflowInterceptorModules: [path.resolve(__dirname, '..', '..', 'workflows', 'interceptors.ts')],
    // As the service's worker: failure messages in encoded attributes (encrypted where a codec runs).
    failureConverterPath: path.resolve(__dirname, '..', '..', 'libs', 'temporal', 'src', 'failure-converter.ts'),
    logger: new DefaultLogger('WARN'),
    ...withPathAliases(path.resolve(__dirname, '..', '..')),
  });
  fs.mkdirSync(path.dirname(WORKFLOW_BUNDLE_FILE), { recursive: true });
  fs.writeFileSync(WORKFLOW_BUNDLE_FILE, code);
}
