// Key Vault (Azure RBAC, no access policies) holding the key that signs acknowledgement links. The Function App reads
// it through a Key Vault reference with its user-assigned identity; the value never appears in app settings.

@description('Name of the key vault (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the secret that holds Campaigns:AcknowledgementKey.')
param acknowledgementKeySecretName string

@secure()
@description('Base64 of at least 32 random bytes; generated once per azd environment by infra/hooks/ensure-ack-key.')
param acknowledgementKey string

@secure()
@description('The armoured OpenPGP secret key that signs encrypted messages (decision 0034).')
param pgpSigningKey string

@description('Purge protection cannot be turned off again and keeps a deleted vault name reserved for the retention period. Turn it on for production.')
param enablePurgeProtection bool

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // ARM rejects an explicit false; leaving the property out is how "off" is expressed.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource acknowledgementKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: acknowledgementKeySecretName
  properties: {
    value: acknowledgementKey
    contentType: 'base64; HMAC key for acknowledgement links'
  }
}

resource pgpSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'pgp-signing-key'
  properties: {
    value: pgpSigningKey
    contentType: 'application/pgp-keys; the directory signing key'
  }
}

output name string = vault.name

@description('Version-less URI, so a rotated value is picked up when the app next reads its references.')
output acknowledgementKeyUri string = acknowledgementKeySecret.properties.secretUri

@description('Version-less URI of the OpenPGP signing key.')
output pgpSigningKeyUri string = pgpSigningKeySecret.properties.secretUri
