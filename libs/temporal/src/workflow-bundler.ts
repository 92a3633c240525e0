import * as path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/**
 * The `@buf/*` path aliases for the workflow bundler, which does not read tsconfig paths: needed
 * where workflows are bundled from their TypeScript sources (the tests). The compiled code in
 * dist/ has them rewritten to relative paths already. `@buf/bpmn` is left out on purpose: the BPMN
 * export and its libraries are for the API, never for workflow code.
 */
export function withPathAliases(root: string): Pick<BundleOptions, 'webpackConfigHook'> {
  const alias: Record<string, string> = {
    ...Object.fromEntries(['domain', 'config', 'auth', 'temporal', 'persistence'].map((lib) => [`@buf/${lib}`, path.join(root, 'libs', lib, 'src')])),
    ...Object.fromEntries(['workflows', 'activities', 'infra', 'apps'].map((dir) => [`@buf/${dir}`, path.join(root, dir)])),
  };
  return {
    webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as Record<string, string> | undefined), ...alias } } }),
  };
}
