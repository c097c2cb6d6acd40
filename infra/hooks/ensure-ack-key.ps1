# azd preprovision hook (Windows): see ensure-ack-key.sh. Creates CAMPAIGNS_ACK_KEY once per azd environment.
$ErrorActionPreference = 'Stop'

$existing = azd env get-value CAMPAIGNS_ACK_KEY 2>$null
if ($LASTEXITCODE -eq 0 -and -not [string]::IsNullOrWhiteSpace($existing)) {
    Write-Output 'CAMPAIGNS_ACK_KEY is set for this environment; keeping it.'
} else {
    $global:LASTEXITCODE = 0
    $bytes = [byte[]]::new(32)
    [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
    azd env set CAMPAIGNS_ACK_KEY ([Convert]::ToBase64String($bytes)) | Out-Null
    Write-Output 'Generated CAMPAIGNS_ACK_KEY (32 random bytes) for this environment.'
}

# PGP_SIGNING_KEY: see ensure-ack-key.sh (base64 of the armoured OpenPGP secret key, made once with gpg).
$existing = azd env get-value PGP_SIGNING_KEY 2>$null
if ($LASTEXITCODE -eq 0 -and -not [string]::IsNullOrWhiteSpace($existing)) {
    Write-Output 'PGP_SIGNING_KEY is set for this environment; keeping it.'
    exit 0
}
$global:LASTEXITCODE = 0
if (-not (Get-Command gpg -ErrorAction SilentlyContinue)) { throw 'gpg is needed once to make the directory''s OpenPGP key (or set PGP_SIGNING_KEY yourself).' }
$gpgHome = Join-Path ([System.IO.Path]::GetTempPath()) ([System.IO.Path]::GetRandomFileName())
New-Item -ItemType Directory $gpgHome | Out-Null
try {
    gpg --homedir $gpgHome --batch --pinentry-mode loopback --passphrase '' --quick-generate-key 'Global POC Directory <pgp@pocdirectory.invalid>' rsa3072 sign,encr never 2>$null
    $armoured = (gpg --homedir $gpgHome --batch --armor --export-secret-keys) -join "`n"
    azd env set PGP_SIGNING_KEY ([Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($armoured + "`n"))) | Out-Null
    Write-Output 'Generated PGP_SIGNING_KEY (RSA 3072, no expiry) for this environment.'
} finally {
    Remove-Item -Recurse -Force $gpgHome
}
