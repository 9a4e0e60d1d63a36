// Version order for runtime releases (minimum versions, flag changes between releases), by semver;
// a version semver cannot read (`48`, `1.2`) is coerced to x.y.z first, its prerelease kept.
import semver from 'semver';

function parse(v: string): semver.SemVer {
  return (
    semver.parse(v, { loose: true }) ?? semver.coerce(v, { includePrerelease: true }) ?? new semver.SemVer('0.0.0')
  );
}

/** Negative, zero or positive as `a` sorts before, with or after `b`; a prerelease sorts before its release. */
export function compareVersions(a: string, b: string): number {
  return semver.compare(parse(a), parse(b));
}
