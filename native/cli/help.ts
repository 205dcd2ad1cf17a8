export const HELP = `myna — My Number Card diagnostics (Myna Companion)

Usage:
  myna readers                          list PC/SC readers and whether a card is present
  myna status                           reader, card kind, tries left for every PIN
  myna cert <auth|sign|auth-ca|sign-ca> [--pem] [--out FILE]
                                        read a certificate (sign asks for the signature password)
  myna pin status                       tries left for the auth PIN, sign password, kenhojo PIN
  myna pin change <auth|sign|kenhojo>   change a PIN (asks for the current and the new one)
  myna basic-info                       name, address, birth date, sex (asks for the kenhojo PIN)
  myna selftest                         is pcscd running? readers? card? JPKI AP? PINs? — each
                                        failure with what to do about it
  myna sign … | myna sign-application …          sign a file / an e-application with the card
                                        (see myna sign --help)
  myna verify … | myna verify-application …      check a signature / a signed package
                                        (see myna verify --help)

Options:
  --reader NAME      use this reader (default: the first reader holding a card)
  --emulator [ID]    use the built-in card emulator in-process instead of PC/SC
                     (demo resident ID, default resident-01; see resources/demo/residents.json)
  --json             machine-readable output on stdout (errors too, as {"error":{code,message,...}})
  --pin-stdin        read PINs from stdin, one per line, instead of a no-echo prompt
                     (pin change reads two lines: current, then new). PINs are never taken from
                     the command line.
  -h, --help         this text

Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage error
  3  environment: smart-card service down, no reader, no card, reader busy
  4  card: not a My Number Card, card removed, timeout, unexpected or malformed answer
  5  PIN: wrong format (nothing sent to the card) or wrong PIN (tries left in the message)
  6  PIN blocked: nothing was sent; the message says where to get it reset

Nothing this command prints to stderr contains a PIN or card data; card data (certificates,
basic info) goes to stdout only when you ask for it.
`;
