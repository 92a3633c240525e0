import * as fs from 'node:fs';
import * as path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '@buf/temporal/data-converter';

/**
 * `npm run build:workflows`: the workflow bundle production workers load with
 * WORKFLOW_BUNDLE_PATH, so a worker starts without bundling and runs exactly the code shipped.
 */
async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join('dist', 'workflow-bundle.js'));
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    workflowInterceptorModules: [require.resolve('../../../workflows/interceptors')],
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  process.stdout.write(`Workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Bundling failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
