import { type BusName, OUTPUT_BUS, SOURCE_BUS } from "@ebsvc/service-contract";
import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import type { Construct } from "constructs";

export interface EventBridgeServicesStackProps extends StackProps {
  /** Existing buses to import by name instead of creating them. */
  readonly existingBuses?: Partial<Record<BusName, string>>;
}

/**
 * The two buses of the choreography, shared by every service stack. The services themselves
 * live in shard stacks (see service-shard.ts), which name these buses rather than import them,
 * and are deployed after this stack.
 */
export class EventBridgeServicesStack extends Stack {
  public readonly buses: Record<BusName, events.IEventBus>;
  /** The buses' names: other stacks refer to the buses by these, never by a reference. */
  public readonly busNames: Record<BusName, string>;

  constructor(scope: Construct, id: string, props: EventBridgeServicesStackProps) {
    super(scope, id, props);
    this.busNames = {
      [SOURCE_BUS]: props.existingBuses?.[SOURCE_BUS] ?? SOURCE_BUS,
      [OUTPUT_BUS]: props.existingBuses?.[OUTPUT_BUS] ?? OUTPUT_BUS,
    };
    this.buses = {
      [SOURCE_BUS]: this.bus(SOURCE_BUS, "SourceBus", props.existingBuses?.[SOURCE_BUS]),
      [OUTPUT_BUS]: this.bus(OUTPUT_BUS, "OutputBus", props.existingBuses?.[OUTPUT_BUS]),
    };
    new CfnOutput(this, "SourceBusArn", { value: this.buses[SOURCE_BUS].eventBusArn });
    new CfnOutput(this, "OutputBusArn", { value: this.buses[OUTPUT_BUS].eventBusArn });
    new CfnOutput(this, "Region", { value: this.region });
  }

  /** A bus of the stack's own, archived for 5 days (as the seed), or an existing one. */
  private bus(name: BusName, id: string, existingName: string | undefined): events.IEventBus {
    if (existingName !== undefined) return events.EventBus.fromEventBusName(this, id, existingName);
    const bus = new events.EventBus(this, id, { eventBusName: name });
    bus.archive("Archive", {
      description: `Events of ${name}, kept 5 days for replay`,
      eventPattern: { account: [this.account] },
      retention: Duration.days(5),
    });
    return bus;
  }
}
