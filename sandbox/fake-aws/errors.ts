/**
 * An error AWS would answer with. The HTTP status comes from the service model where it names one
 * (the provider checks it: 404 NoSuchEntity, 409 conflicts), else from `status`, else 400.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
    this.name = "AwsError";
  }
}

export const noSuchEntity = (message: string) => new AwsError("NoSuchEntity", message);
export const alreadyExists = (message: string) => new AwsError("EntityAlreadyExists", message);
export const deleteConflict = (message: string) => new AwsError("DeleteConflict", message);
export const validationError = (message: string) => new AwsError("ValidationError", message);
export const accessDenied = (message: string) => new AwsError("AccessDenied", message, 403);
