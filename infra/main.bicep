// Global POC Directory in Azure: `azd up` provisions this and deploys functions/PocDirectory.Functions ("api") and
// portal/ ("web"). See README.md ("Deploy to Azure") for the walkthrough and docs/decisions/0006 for the reasons.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region of the resources. Flex Consumption is offered in a subset of regions: `az functionapp list-flexconsumption-locations`.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Region of the Static Web App (offered in these regions only; content is served from a global edge anyway).')
@allowed([
  'centralus'
  'eastasia'
  'eastus2'
  'westeurope'
  'westus2'
])
param staticWebAppLocation string = 'westeurope'

@description('Where Azure Communication Services keeps email data at rest.')
@allowed([
  'Africa'
  'Asia Pacific'
  'Australia'
  'Brazil'
  'Canada'
  'Europe'
  'France'
  'Germany'
  'India'
  'Japan'
  'Korea'
  'Norway'
  'Switzerland'
  'UAE'
  'UK'
  'United States'
])
param emailDataLocation string = 'Europe'

@description('Custom email domain to create (DNS records to publish are shown on the domain in the portal); empty for none.')
param emailCustomDomain string = ''

@description('Send from the custom domain. Set only after its DNS records are verified.')
param emailCustomDomainLinked bool = false

@description('Auth:Authority. Empty means the Entra ID (v2.0) authority of the tenant you deploy into.')
param authAuthority string = ''

@minLength(1)
@description('Auth:Audience: the Application ID URI (api://...) or client id of the API app registration users sign in to.')
param authAudience string

@minLength(3)
@description('Auth:BootstrapSecretariat: email of the first Secretariat user; it can assign every other role. (Not called "...Secretariat" here: the linter reads "secret" in that name as a credential.)')
param bootstrapAdminEmail string

@secure()
@minLength(44)
@description('Campaigns:AcknowledgementKey (base64 of >= 32 random bytes). Set by the preprovision hook; stored only in Key Vault.')
param acknowledgementKey string

@secure()
@description('Pgp:SigningKey, base64 of the armoured OpenPGP secret key (decision 0034). Set by the preprovision hook; stored only in Key Vault.')
param pgpSigningKey string

@minValue(1)
@description('Email:MaxPerMinute. 5 is the quota of an Azure-managed domain (which also allows only 10 per hour); a custom domain starts at 30 and can be raised by a support request.')
param emailMaxPerMinute int = 5

@description('Campaigns:MinimumResponseWindow (hh:mm:ss): the shortest response window a campaign may have.')
param minimumResponseWindow string = '01:00:00'

@description('CampaignSchedulerSchedule: NCRONTAB (six fields, UTC) of the timer that starts due and recurring campaigns.')
param campaignSchedulerSchedule string = '0 */5 * * * *'

@description('CoverageSnapshotSchedule: NCRONTAB (six fields, UTC) of the timer that writes the day\'s coverage snapshot.')
param coverageSnapshotSchedule string = '0 5 0 * * *'

@description('PgpExpiryNoticeSchedule: NCRONTAB (six fields, UTC) of the timer that tells focal points of OpenPGP keys expiring within 30 days.')
param pgpExpiryNoticeSchedule string = '0 0 6 * * *'

@description('Campaigns:PublicBaseUrl when the portal has a custom domain; empty means the Static Web App URL.')
param publicBaseUrl string = ''

@description('Turn on for production: a purge-protected vault cannot be purged by `azd down --purge` for 90 days.')
param keyVaultPurgeProtection bool = false

@minValue(40)
@maxValue(1000)
@description('Most instances the Flex Consumption plan may run.')
param maximumInstanceCount int = 40

@minValue(1)
@description('Daily Log Analytics ingestion cap in GB.')
param logDailyCapGb int = 1

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'poc-directory'
}
// Names are computed here, not read from module outputs, so What-If can predict every resource id.
var names = {
  identity: 'id-pocdir-${resourceToken}'
  logAnalytics: 'log-pocdir-${resourceToken}'
  applicationInsights: 'appi-pocdir-${resourceToken}'
  storage: 'stpocdir${resourceToken}'
  keyVault: 'kv-pocdir-${take(resourceToken, 10)}'
  emailService: 'ecs-pocdir-${resourceToken}'
  communicationService: 'acs-pocdir-${resourceToken}'
  staticWebApp: 'stapp-pocdir-${resourceToken}'
  functionApp: 'func-pocdir-${resourceToken}'
  plan: 'plan-pocdir-${resourceToken}'
}
var acknowledgementKeySecretName = 'campaigns-acknowledgement-key'
// environment() keeps the template valid in sovereign clouds (no hard-coded login host).
var effectiveAuthAuthority = empty(authAuthority)
  ? '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
  : authAuthority

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: resourceGroup
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: resourceGroup
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    dailyCapGb: logDailyCapGb
    retentionInDays: 30
  }
}

module storage 'modules/storage.bicep' = {
  scope: resourceGroup
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
  }
}

module keyVault 'modules/key-vault.bicep' = {
  scope: resourceGroup
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    acknowledgementKeySecretName: acknowledgementKeySecretName
    acknowledgementKey: acknowledgementKey
    pgpSigningKey: base64ToString(pgpSigningKey)
    enablePurgeProtection: keyVaultPurgeProtection
  }
}

module email 'modules/email.bicep' = {
  scope: resourceGroup
  name: 'email'
  params: {
    emailServiceName: names.emailService
    communicationServiceName: names.communicationService
    dataLocation: emailDataLocation
    tags: tags
    customDomainName: emailCustomDomain
    useCustomDomain: emailCustomDomainLinked
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  scope: resourceGroup
  name: 'role-assignments'
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    communicationServiceName: names.communicationService
  }
  dependsOn: [
    identity
    storage
    keyVault
    monitoring
    email
  ]
}

module staticWebApp 'modules/static-web-app.bicep' = {
  scope: resourceGroup
  name: 'static-web-app'
  params: {
    name: names.staticWebApp
    location: staticWebAppLocation
    tags: tags
  }
}

module functionApp 'modules/function-app.bicep' = {
  scope: resourceGroup
  name: 'function-app'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityName: names.identity
    storageAccountName: names.storage
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: names.applicationInsights
    instanceMemoryMB: 2048
    maximumInstanceCount: maximumInstanceCount
    authAuthority: effectiveAuthAuthority
    authAudience: authAudience
    bootstrapAdminEmail: bootstrapAdminEmail
    emailEndpoint: email.outputs.endpoint
    emailSenderAddress: email.outputs.senderAddress
    emailMaxPerMinute: emailMaxPerMinute
    acknowledgementKeyUri: keyVault.outputs.acknowledgementKeyUri
    pgpSigningKeyUri: keyVault.outputs.pgpSigningKeyUri
    publicBaseUrl: empty(publicBaseUrl) ? staticWebApp.outputs.url : publicBaseUrl
    minimumResponseWindow: minimumResponseWindow
    campaignSchedulerSchedule: campaignSchedulerSchedule
    coverageSnapshotSchedule: coverageSnapshotSchedule
    pgpExpiryNoticeSchedule: pgpExpiryNoticeSchedule
  }
  // The host reads storage, Key Vault and ACS with the identity as soon as the site starts: grant first.
  dependsOn: [
    identity
    monitoring
    roleAssignments
  ]
}

module staticWebAppBackend 'modules/static-web-app-backend.bicep' = {
  scope: resourceGroup
  name: 'static-web-app-backend'
  params: {
    staticWebAppName: names.staticWebApp
    functionAppId: functionApp.outputs.id
    functionAppLocation: location
  }
}

// Read by azd (and by the verification steps in README.md ("Deploy to Azure")); none of them is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_WEB_NAME string = staticWebApp.outputs.name
output PORTAL_URL string = staticWebApp.outputs.url
output FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output EMAIL_SENDER_ADDRESS string = email.outputs.senderAddress
output KEY_VAULT_NAME string = keyVault.outputs.name
output APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
