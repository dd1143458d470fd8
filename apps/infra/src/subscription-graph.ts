import { compilePattern } from "@ebsvc/event-patterns";
import {
  type ArnPlace,
  type BusName,
  type ServiceFolder,
  sampleSuccessResult,
  successBusName,
} from "@ebsvc/service-contract";

/** A discovered service (discover-services.ts). */
type DiscoveredService = ServiceFolder;

/** The bus a service's success results land on. */
export function successBusOf(service: DiscoveredService): BusName {
  return successBusName(service.settings.successBus);
}

/** An arrow upstream → downstream: the downstream service runs on the upstream's results. */
interface Edge {
  readonly upstream: string;
  readonly downstream: string;
  /** Where the subscription is written, e.g. `service.subscriptions[0]`. */
  readonly field: string;
}

/**
 * Checks the services' subscriptions as a whole: `resultsOf` must name a service, and no chain
 * of subscriptions may lead back to where it started (each result would trigger the next
 * service forever). A pattern subscription counts as an arrow from every service whose success
 * result, as Lambda sends it (its function named as the stacks name it, in `place` when the
 * deployment target is known), the pattern matches. Returns one line per problem.
 */
export function checkSubscriptions(
  services: readonly DiscoveredService[],
  fileOf: (service: DiscoveredService) => string,
  place?: ArnPlace,
): string[] {
  const problems: string[] = [];
  const ids = services.map((service) => service.id);
  const edges: Edge[] = [];
  for (const service of services) {
    for (const [index, subscription] of (service.settings.subscriptions ?? []).entries()) {
      const field = `service.subscriptions[${index}]`;
      if (subscription.resultsOf !== undefined) {
        if (!ids.includes(subscription.resultsOf)) {
          problems.push(
            `${fileOf(service)}: ${field}.resultsOf is ${JSON.stringify(subscription.resultsOf)}; allowed: the id of a service (${ids.join(", ")})`,
          );
          continue;
        }
        edges.push({ upstream: subscription.resultsOf, downstream: service.id, field });
      } else if (subscription.pattern !== undefined) {
        const pattern = compilePattern(subscription.pattern);
        for (const upstream of services) {
          if (
            successBusOf(upstream) === subscription.bus &&
            pattern.matches(sampleSuccessResult(upstream.id, successBusOf(upstream), place))
          ) {
            edges.push({ upstream: upstream.id, downstream: service.id, field });
          }
        }
      }
    }
  }
  const where = (edge: Edge) =>
    `${fileOf(services.find((s) => s.id === edge.downstream) as DiscoveredService)} ${edge.field}`;
  for (const cycle of findCycles(ids, edges)) {
    problems.push(
      `a cycle of subscriptions: ${[...cycle.map((edge) => edge.upstream), cycle[0]?.upstream].join(" → ")}; each result would trigger the next service forever (${cycle.map(where).join(", ")})`,
    );
  }
  return problems;
}

/**
 * Services in an order where every service comes after those whose results it subscribes to
 * (by id among equals, so the order is stable). The graph must be free of cycles.
 */
export function upstreamFirst(services: readonly DiscoveredService[]): DiscoveredService[] {
  const placed = new Set<string>();
  const order: DiscoveredService[] = [];
  const remaining = [...services].sort((a, b) => (a.id < b.id ? -1 : 1));
  while (remaining.length > 0) {
    const next = remaining.findIndex((service) =>
      (service.settings.subscriptions ?? []).every(
        (s) => s.resultsOf === undefined || placed.has(s.resultsOf) || s.resultsOf === service.id,
      ),
    );
    if (next < 0)
      throw new Error(
        "upstreamFirst: the subscriptions form a cycle (checkSubscriptions reports it)",
      );
    const [service] = remaining.splice(next, 1) as [DiscoveredService];
    placed.add(service.id);
    order.push(service);
  }
  return order;
}

/** Every elementary cycle once, each starting at its smallest id. */
function findCycles<E extends Edge>(ids: readonly string[], edges: readonly E[]): E[][] {
  const cycles: E[][] = [];
  const seen = new Set<string>();
  const visit = (start: string, at: string, path: E[]) => {
    for (const edge of edges.filter((e) => e.upstream === at)) {
      if (edge.downstream === start) {
        const key = [...path, edge].map((e) => `${e.upstream}>${e.downstream}`).join(",");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...path, edge]);
        }
      } else if (edge.downstream > start && !path.some((e) => e.upstream === edge.downstream)) {
        visit(start, edge.downstream, [...path, edge]);
      }
    }
  };
  for (const id of [...ids].sort()) visit(id, id, []);
  return cycles;
}
