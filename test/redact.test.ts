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
    ["a security token header in Go's header dump (a JSON array)", '"X-Amz-Security-Token": ["IQoJb3JpZ2luX2VjEA//////////wEaCXVz"]', '"X-Amz-Security-Token": ["****"]'],
    ["a JSON array of tokens, unquoted", "x-amz-security-token: [IQoJb3JpZ2luX2VjEA]", "x-amz-security-token: [****]"],
    ["a bearer token that is no JWT", "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543", "Authorization: Bearer ****"],
    ["a bearer token in Go's header dump", '"Authorization": ["Bearer abcdEFGH1234ijkl"]', '"Authorization": ["Bearer ****"]'],
    [
      "STS's XML HTML-escaped in an error page",
      "&lt;SecretAccessKey&gt;wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY&lt;/SecretAccessKey&gt;&lt;SessionToken&gt;FwoGZXIvYXdzE&lt;/SessionToken&gt;",
      "&lt;SecretAccessKey&gt;****&lt;/SecretAccessKey&gt;&lt;SessionToken&gt;****&lt;/SessionToken&gt;",
    ],
    ["a bare secret access key", "aws_secret_access_key_value wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end", "aws_secret_access_key_value **** end"],
    ["a bare secret access key of letters and digits", "(wJalrXUtnFEMI0K7MDENG0bPxRfiCYEXAMPLEKEY)", "(****)"],
    ["an access key glued to a word", "key_AKIAIOSFODNN7EXAMPLE", "key_AKIA****************"],
    // Near misses: left as they are.
    ["a 40-character commit ID (hex: no capital)", "commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904", "commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904"],
    ["41 characters of base64", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX"],
    ["40 letters with no digit, / or +", "TrelicaIntegrationReadOnlyForAllAccounts", "TrelicaIntegrationReadOnlyForAllAccounts"],
    ["a provider hash (44 characters, =)", "h1:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEK1234=", "h1:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEK1234="],
    ["AKIA inside a longer word", "MYAKIAIOSFODNN7EXAMPLE", "MYAKIAIOSFODNN7EXAMPLE"],
    ["Bearer in prose", "the Bearer of this note", "the Bearer of this note"],
    ["an escaped element only named like a credential", "&lt;SecretAccessKeyAge&gt;90&lt;/SecretAccessKeyAge&gt;", "&lt;SecretAccessKeyAge&gt;90&lt;/SecretAccessKeyAge&gt;"],

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
