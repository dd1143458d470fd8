/** EventBridge could not hand an event to a target; carried into the target DLQ's attributes. */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
