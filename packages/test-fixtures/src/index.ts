export { ACCOUNT, FIXTURE_SERVICE, REGION, synthFixtureApp } from "./fixture-app.js";
export { synthServicesApp } from "./service-app.js";
