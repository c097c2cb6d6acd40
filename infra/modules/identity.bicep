// The one identity the Function App runs as: storage (host, Durable task hub, tables), Key Vault references,
// Application Insights ingestion and ACS email all authenticate with it. A user-assigned identity outlives the app, so
// role assignments survive a re-created site and can be granted before the site exists.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
