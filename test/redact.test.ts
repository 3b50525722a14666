/* What rollout masks before terraform's output reaches a log or a report: each row an input and exactly what is written. */
import { redact } from "../runner/redact";

const JWT =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcmdhbml6YXRpb246YWNtZTpwcm9qZWN0OmlkZW50aXR5In0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU";

describe("redact", () => {
  test.each([
    // Masked.
    ["a long-term access key", "key AKIAIOSFODNN7EXAMPLE used", "key AKIA**************** used"],
    ["a temporary key in STS's XML", "<AccessKeyId>ASIAQWERTYUIOPASDFGH</AccessKeyId>", "<AccessKeyId>ASIA****************</AccessKeyId>"],
    ["a secret key in STS's XML", "<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+a=</SecretAccessKey>", "<SecretAccessKey>****</SecretAccessKey>"],
    ["a session token in STS's XML", "<SessionToken>IQoJb3JpZ2luX2VjEA//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==</SessionToken>", "<SessionToken>****</SessionToken>"],
    [
      "a whole AssumeRole answer on one debug line",
      "<Credentials><AccessKeyId>ASIAQWERTYUIOPASDFGH</AccessKeyId><SecretAccessKey>abc/def+ghi</SecretAccessKey><SessionToken>FwoGZXIvYXdzE</SessionToken><Expiration>2026-12-05T09:00:00Z</Expiration></Credentials>",
      "<Credentials><AccessKeyId>ASIA****************</AccessKeyId><SecretAccessKey>****</SecretAccessKey><SessionToken>****</SessionToken><Expiration>2026-12-05T09:00:00Z</Expiration></Credentials>",
    ],
    ["a JWT in prose", `token file holds ${JWT} today`, "token file holds eyJ****.****.**** today"],
    ["an unsigned JWT (empty signature)", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "eyJ****.****.****"],
    // The key=value rule masks to the next space, quote or comma: the rest of a form body goes too.
    ["a JWT as a form parameter", `Action=AssumeRoleWithWebIdentity&WebIdentityToken=${JWT}&RoleArn=x`, "Action=AssumeRoleWithWebIdentity&WebIdentityToken=****"],
    ["a JWT in an Authorization header", `Authorization: Bearer ${JWT}`, "Authorization: Bearer eyJ****.****.****"],
    ["a security token header", "X-Amz-Security-Token: IQoJb3JpZ2luX2VjEA", "X-Amz-Security-Token: ****"],
    ["a JSON secret", '{"SecretAccessKey": "abc/def"}', '{"SecretAccessKey": "****"}'],
    ["a Terraform Cloud token", "header abcdefghijklmn.atlasv1.abcdefghijklmnopqrstuvwxyz sent", "header ****.atlasv1.**** sent"],
    // Near misses: left as they are.
    ["an AccessKeyId that is no key", "<AccessKeyId>none</AccessKeyId>", "<AccessKeyId>none</AccessKeyId>"],
    ["ASIA with one character too few", "ASIAQWERTYUIOPASDFG", "ASIAQWERTYUIOPASDFG"],
    ["an XML element only named like a credential", "<SecretAccessKeyRotationDays>90</SecretAccessKeyRotationDays>", "<SecretAccessKeyRotationDays>90</SecretAccessKeyRotationDays>"],
    ["an expiration in STS's XML", "<Expiration>2026-12-05T09:00:00Z</Expiration>", "<Expiration>2026-12-05T09:00:00Z</Expiration>"],
    ["a JWT's header and payload without a signature part", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0 done", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0 done"],
    ["eyJ inside a word", "keyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig", "keyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig"],
    ["a dotted name starting eyJ", "eyJ.example.com", "eyJ.example.com"],
    ["a role ARN", "arn:aws:iam::111111111111:role/TrelicaIntegration", "arn:aws:iam::111111111111:role/TrelicaIntegration"],
    ["a plan line about tags", '+ tags = { "managed-by" = "trelica-aws-role" }', '+ tags = { "managed-by" = "trelica-aws-role" }'],
  ])("GIVEN %s THEN it is written as the table says", (_case, input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});
