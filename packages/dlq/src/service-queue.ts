import type { BusModel, LocalModel, QueueModel } from "@ebsvc/cloud-assembly";

/** A service's dead-letter queue and the bus its events came from, as the app wires them. */
export interface ServiceQueue {
  readonly serviceId: string;
  readonly queue: QueueModel;
  /** Where a redriven event is put: the bus of the service's rule. */
  readonly bus: BusModel;
}

export class UnknownServiceError extends Error {
  override readonly name = "UnknownServiceError";
}

/** Finds a service's DLQ in the model: the failure destination of its function's invoke config. */
export function serviceQueue(model: LocalModel, serviceId: string): ServiceQueue {
  const services = model.functions.flatMap((fn) => (fn.service ? [fn.service.id] : []));
  const fn = model.functions.find((candidate) => candidate.service?.id === serviceId);
  if (!fn) {
    throw new UnknownServiceError(
      `the app has no service ${JSON.stringify(serviceId)}; its services: ${services.join(", ") || "(none)"}`,
    );
  }
  const failure = model.invokeConfigs.find((config) => config.functionName === fn.name)?.onFailure;
  const queue = model.queues.find((candidate) => candidate.arn === failure);
  const rule = model.rules.find((candidate) =>
    candidate.targets.some(
      (target) => target.arn.startsWith(`${fn.arn}:`) || target.arn === fn.arn,
    ),
  );
  const bus = model.buses.find((candidate) => candidate.name === rule?.busName);
  if (!queue || !bus) {
    throw new UnknownServiceError(
      `service ${serviceId} has no dead-letter queue or no rule in the app (was it made with ServiceConstruct?)`,
    );
  }
  return { serviceId, queue, bus };
}
