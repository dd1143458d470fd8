import { RegionInfo } from "aws-cdk-lib/region-info";

/** The regions aws-cdk-lib knows the facts of: the ones a deployment can target. */
export const REGION_NAMES: ReadonlySet<string> = new Set(
  RegionInfo.regions.map((region) => region.name),
);

/** The partition of a known region ("aws", "aws-cn", "aws-us-gov", ...). */
export function partitionOf(region: string): string | undefined {
  return REGION_NAMES.has(region) ? RegionInfo.get(region).partition : undefined;
}

/**
 * What to say instead of a name that is no region: the regions sharing its first part
 * ("eu-wset-1" → the eu- regions), or else all of them.
 */
export function regionsLike(name: string): string[] {
  const all = [...REGION_NAMES].sort();
  const prefix = `${name.split("-")[0]}-`;
  const near = all.filter((region) => region.startsWith(prefix));
  return near.length > 0 ? near : all;
}
