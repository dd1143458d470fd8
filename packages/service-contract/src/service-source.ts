/** Template metadata key naming the service a function was built from. */
export const SERVICE_SOURCE_METADATA = "ebsvc:service";

/** What the metadata holds: enough for local tools to run the function from its folder. */
export interface ServiceSource {
  readonly id: string;
  /** The service folder, relative to the cloud assembly folder (no checkout path). */
  readonly directory: string;
}
