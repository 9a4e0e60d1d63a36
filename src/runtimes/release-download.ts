// Fetching a release asset: the size limit, the retry's outcome and a 404 each named with the input that fixes it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { formatMs } from '../model/format.js';
import { DEFAULT_DOWNLOAD_LIMIT_MIB, type RuntimeDescriptor } from './descriptor.js';
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, DownloadError, downloadFile } from './download.js';
import { errorText, RuntimeInstallError } from './install-error.js';
import type { ResolvedAsset } from './registry.js';
import { mirrorOf, type ResolveOptions } from './resolve-options.js';

/** The most one archive of `desc` may bring (docs/limits.md). */
export function downloadLimitBytes(desc: RuntimeDescriptor): number {
  const mib = desc.install.kind === 'release' ? desc.install.release.maxDownloadMiB : undefined;
  return (mib ?? DEFAULT_DOWNLOAD_LIMIT_MIB) * 2 ** 20;
}

export async function downloadAsset(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  opts: ResolveOptions,
  temp: string,
): Promise<string> {
  const runtime = desc.name;
  const file = join(temp, randomUUID());
  try {
    await downloadFile(asset.url, file, opts.downloadTimeoutMs, downloadLimitBytes(desc));
    return file;
  } catch (e) {
    if (e instanceof DownloadError && e.overLimit !== undefined) {
      const from = mirrorOf(opts) === undefined ? 'github.com' : `runtime-mirror ${mirrorOf(opts)}`;
      throw new RuntimeInstallError(
        runtime,
        `${asset.name} from ${from} is larger than the ${Math.round(e.overLimit / 2 ** 20)} MiB a ${runtime} archive may be: the download was stopped there and the partial file deleted`,
        asset.url,
        `Check ${mirrorOf(opts) === undefined ? 'the release' : 'runtime-mirror'} (a real ${runtime} archive is far smaller), or install ${runtime} yourself and use \`@path\`.`,
      );
    }
    const status = e instanceof DownloadError ? e.status : undefined;
    if (status === 404) {
      throw new RuntimeInstallError(
        runtime,
        `release asset ${asset.name} of ${asset.tag} was not found (HTTP 404)`,
        asset.url,
        `Check that ${runtime} ${asset.version} exists and ships ${asset.name}; pick another version, or fix runtime-mirror.`,
      );
    }
    throw downloadFailure(runtime, asset.name, asset.url, e, opts);
  }
}

/** A download that failed after its retry: a timeout names `download-timeout` and where it came from. */
export function downloadFailure(runtime: string, what: string, url: string, e: unknown, opts: ResolveOptions): Error {
  const from = mirrorOf(opts) === undefined ? 'github.com' : `runtime-mirror ${mirrorOf(opts)}`;
  if (e instanceof DownloadError && e.timedOut) {
    const limit = formatMs(opts.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
    return new RuntimeInstallError(
      runtime,
      `${from} did not deliver ${what} within download-timeout (${limit}), tried twice`,
      url,
      `Check that ${from} is reachable from the runner, or raise download-timeout.`,
    );
  }
  const why = e instanceof DownloadError && e.status !== undefined ? `HTTP ${e.status}` : errorText(e);
  return new RuntimeInstallError(
    runtime,
    `download of ${what} from ${from} failed after a retry (${why})`,
    url,
    'Retry the job; if it persists, check the network or set runtime-mirror.',
  );
}
