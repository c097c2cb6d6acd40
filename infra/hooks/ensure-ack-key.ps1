# azd preprovision hook (Windows): see ensure-ack-key.sh. Creates CAMPAIGNS_ACK_KEY once per azd environment.
$ErrorActionPreference = 'Stop'

$existing = azd env get-value CAMPAIGNS_ACK_KEY 2>$null
if ($LASTEXITCODE -eq 0 -and -not [string]::IsNullOrWhiteSpace($existing)) {
    Write-Output 'CAMPAIGNS_ACK_KEY is set for this environment; keeping it.'
    exit 0
}
$global:LASTEXITCODE = 0

$bytes = [byte[]]::new(32)
[System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
azd env set CAMPAIGNS_ACK_KEY ([Convert]::ToBase64String($bytes)) | Out-Null
Write-Output 'Generated CAMPAIGNS_ACK_KEY (32 random bytes) for this environment.'
