export { type DeadLetter, readDeadLetter } from "./dead-letter.js";
export { DeadLetterQueue, type LetterList, type RedriveResult } from "./dead-letter-queue.js";
export { type ServiceQueue, serviceQueue, UnknownServiceError } from "./service-queue.js";
