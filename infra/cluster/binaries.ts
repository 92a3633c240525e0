import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '@buf/config';

/** The versions pinned in infra/cluster/versions.env (read by build-temporal.sh too). */
function pinnedVersions(): { server: string; uiServer: string } {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'infra', 'cluster', 'versions.env'), 'utf8');
  const value = (name: string) => {
    const match = new RegExp(`^${name}=(\\S+)$`, 'm').exec(text);
    if (!match) throw new Error(`infra/cluster/versions.env has no ${name}`);
    return match[1];
  };
  return { server: value('TEMPORAL_SERVER_VERSION'), uiServer: value('TEMPORAL_UI_SERVER_VERSION') };
}

export const TEMPORAL_VERSIONS = pinnedVersions();

/** The binaries build-temporal.sh puts in the git-ignored .tools folder. */
export const TEMPORAL_BINARIES = {
  server: path.join(PROJECT_ROOT, '.tools', `temporal-server-${TEMPORAL_VERSIONS.server}`, 'bin', 'server'),
  sqlTool: path.join(PROJECT_ROOT, '.tools', `temporal-server-${TEMPORAL_VERSIONS.server}`, 'bin', 'sql'),
  uiServer: path.join(PROJECT_ROOT, '.tools', `temporal-ui-server-${TEMPORAL_VERSIONS.uiServer}`, 'bin', 'server'),
};

export function assertBinariesBuilt(): void {
  for (const [name, file] of Object.entries(TEMPORAL_BINARIES)) {
    if (!fs.existsSync(file)) throw new Error(`No Temporal ${name} at ${file}: run bash infra/local/ensure-installed.sh --cluster`);
  }
}
