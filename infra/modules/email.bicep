// Azure Communication Services for email: an Email Communication Service with an Azure-managed domain
// (<guid>.azurecomm.net, no DNS work, ready at once) linked to a Communication Services resource. The app sends with
// Entra ID tokens; access keys (local auth) are switched off, so no key exists that could leak.

@description('Name of the Email Communication Service.')
param emailServiceName string

@description('Name of the Communication Services resource.')
param communicationServiceName string

@description('Where ACS stores data at rest (a geography, not a region).')
param dataLocation string

@description('Tags for every resource.')
param tags object

@description('A custom sending domain (e.g. mail.example.org) to create next to the Azure-managed one; empty for none.')
param customDomainName string

@description('Link the custom domain and send from it. Only after its DNS records are verified: linking an unverified domain fails.')
param useCustomDomain bool

resource emailService 'Microsoft.Communication/emailServices@2025-05-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // No tracking pixels or rewritten links in pings: POCs are diplomats and CERTs, and opens are personal data.
    userEngagementTracking: 'Disabled'
  }
}

resource customDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' = if (!empty(customDomainName)) {
  parent: emailService
  name: empty(customDomainName) ? 'none' : customDomainName
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

var sendFromCustomDomain = !empty(customDomainName) && useCustomDomain

resource communicationService 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    disableLocalAuth: true
    // The template owns the links: a domain linked by hand would be unlinked by the next `azd provision`.
    linkedDomains: sendFromCustomDomain ? [managedDomain.id, customDomain.id] : [managedDomain.id]
  }
}

output communicationServiceName string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'

@description('MailFrom address: DoNotReply is the sender username a new domain starts with.')
output senderAddress string = sendFromCustomDomain
  ? 'DoNotReply@${customDomainName}'
  : 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
