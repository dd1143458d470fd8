export { synthCheckoutApp } from "./checkout-app.js";
export {
  ACCOUNT,
  FIXTURE_SERVICE,
  REGION,
  synthFixtureApp,
  synthScheduleApp,
} from "./fixture-app.js";
export { synthServicesApp } from "./service-app.js";
export {
  CHECKOUT_ROOT,
  copyCheckout,
  copyServiceFolder,
  removeTempDirs,
  tempDir,
} from "./temp-repos.js";
