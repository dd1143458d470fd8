export {
  ACCOUNT,
  FIXTURE_SERVICE,
  REGION,
  synthFixtureApp,
  synthScheduleApp,
} from "./fixture-app.js";
export { synthServicesApp } from "./service-app.js";
