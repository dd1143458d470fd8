import type { Handler } from "aws-lambda";

/** What the service answers: the seed's documented contract, spelling included. */
export interface ServiceResult {
  statusCode: number;
  reponse: string;
}

export const handler: Handler<unknown, ServiceResult> = async (event) => {
  console.log(`Hello AWS! event = ${JSON.stringify(event)}`);
  return { statusCode: 200, reponse: "Hello Lambda" };
};
