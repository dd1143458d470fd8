/** The bus every service listens on for events whose `source` is its id. */
export const SOURCE_BUS = "source_bus";

/** The bus for results other services follow. */
export const OUTPUT_BUS = "output_bus";

/** The buses the app owns; a deployment may import existing ones under these names instead. */
export const BUS_NAMES = [SOURCE_BUS, OUTPUT_BUS] as const;
export type BusName = (typeof BUS_NAMES)[number];

/** Where a service's success results go; "source" is the bus it listens on (source_bus). */
export const SUCCESS_BUS_CHOICES = ["source", ...BUS_NAMES] as const;
export type SuccessBusChoice = (typeof SUCCESS_BUS_CHOICES)[number];

/** The bus a `successBus` setting names. */
export function successBusName(choice: SuccessBusChoice): BusName {
  return choice === "source" ? SOURCE_BUS : choice;
}
