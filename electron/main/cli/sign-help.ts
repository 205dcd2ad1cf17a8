export const SIGN_HELP = `myna sign, myna sign-application — sign with the My Number Card's signature key
(署名用電子証明書; asks for the 6–16 character signature password)

Usage:
  myna sign --in FILE --out FILE.p7s [--attached]
      CMS (CAdES-BES) signature over any file. Detached by default: FILE.p7s holds no content;
      verify with  openssl cms -verify -binary -inform DER -in FILE.p7s -content FILE -CAfile CA.pem
      --attached puts the content inside FILE.p7s (up to 64 MiB).
  myna sign-application --draft DRAFT.json --out PACKAGE.mynapkg
      Build, sign and write an application package (README "Application package format").
      The summary of what will be signed is shown before the password is asked for.

DRAFT.json (UTF-8 JSON; attachment paths are relative to the folder of DRAFT.json):
  {
    "procedureId": "jidou-teate-nintei",          short slug: a-z 0-9 and single hyphens
    "municipalityCode": "131016",                 6-digit 全国地方公共団体コード with check digit
    "form": { "applicant": { "name": "…" }, … },  any JSON object (the form values)
    "attachments": [                               0–20 files; PDF, JPEG or PNG; ≤ 10 MiB each,
      { "name": "所得証明書.pdf",                  ≤ 20 MiB in total; "name" is the file name
        "mediaType": "application/pdf",            inside the package (1–120 characters, no
        "path": "scans/income.pdf" }               / \\ : * ? " < > |, unique ignoring case)
    ]
  }

Options:
  --reader NAME      use this reader (default: the first reader holding a card)
  --emulator         use the built-in card emulator in-process instead of PC/SC
  --resident ID      …with this demo resident (default resident-01; implies --emulator)
  --json             machine-readable result on stdout (errors too, as {"error":{code,message,…}})
  --pin-stdin        read the password from stdin (one line) instead of a no-echo prompt
  -h, --help         this text

The output file appears only when everything succeeded: it is written to a temporary file in
the same folder and renamed at the end; on any failure nothing is left behind. Tries left are
shown before the password is asked for; a blocked password is refused without asking.

Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage: bad arguments, an input file that cannot be read, an output that cannot be written
  3  environment: smart-card service down, no reader, no card, reader busy
  4  card: not a My Number Card, card removed, malformed answer, or the signature failed the
     app's own check (SELF_CHECK_FAILED; nothing was written)
  5  password wrong (tries left in the message) or badly formed (nothing sent to the card)
  6  password blocked: nothing was sent; the message says where to get it reset
  8  the draft or input was refused (DRAFT_INVALID, ATTACHMENT_TOO_LARGE, FILE_NAME_INVALID, …):
     nothing was signed
`;
