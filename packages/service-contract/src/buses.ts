/** The buses the app owns; a deployment may import existing ones under these names instead. */
export const BUS_NAMES = ["source_bus", "output_bus"] as const;
export type BusName = (typeof BUS_NAMES)[number];

/** Where a service's success results go; "source" is the bus it listens on (source_bus). */
export const SUCCESS_BUS_CHOICES = ["source", ...BUS_NAMES] as const;
export type SuccessBusChoice = (typeof SUCCESS_BUS_CHOICES)[number];

/** The bus every service listens on for events whose `source` is its id. */
const SOURCE_BUS: BusName = "source_bus";

/** The bus a `successBus` setting names. */
export function successBusName(choice: SuccessBusChoice): BusName {
  return choice === "source" ? SOURCE_BUS : choice;
}
