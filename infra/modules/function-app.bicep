// The API: a .NET 10 isolated-worker Function App on the Flex Consumption plan, running as the user-assigned identity.
// Every app setting is written here, in one place; README.md ("Deploy to Azure") lists them with their meaning.
// No setting holds a secret: storage, ACS and Application Insights are reached with Entra ID tokens, and the one secret
// (the acknowledgement key) is a Key Vault reference resolved by the platform with the same identity.

@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region (one where the Flex Consumption plan is offered).')
param location string

@description('Tags for every resource; azd finds the resource to deploy "api" to by the azd-service-name tag.')
param tags object

@description('Name of the user-assigned identity the app runs as.')
param identityName string

@description('Storage account for the host, the Durable task hub and the app tables.')
param storageAccountName string

@description('Blob endpoint of that account, e.g. https://name.blob.core.windows.net/.')
param storageBlobEndpoint string

@description('Container the Flex Consumption plan deploys the package from.')
param deploymentContainerName string

@description('Application Insights component that receives telemetry.')
param applicationInsightsName string

@description('Memory of each instance in MB; 2048 is the default size and suits the worker.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances the plan may scale out to (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Auth:Authority, the OpenID Connect authority of user tokens.')
param authAuthority string

@description('Auth:Audience, the audience user tokens must carry.')
param authAudience string

@description('Auth:BootstrapSecretariat, the email of the first Secretariat user.')
param bootstrapAdminEmail string

@description('Email:Acs:Endpoint, the Communication Services endpoint.')
param emailEndpoint string

@description('Email:SenderAddress, the MailFrom address of the linked email domain.')
param emailSenderAddress string

@description('Email:MaxPerMinute, sends per minute of the whole app (the ACS quota; the pace is shared by every instance).')
@minValue(1)
param emailMaxPerMinute int

@description('Versionless Key Vault secret URI of the acknowledgement key.')
param acknowledgementKeyUri string

@description('Versionless Key Vault secret URI of the OpenPGP signing key.')
param pgpSigningKeyUri string

@description('Campaigns:PublicBaseUrl, the portal origin acknowledgement links point to.')
param publicBaseUrl string

@description('Campaigns:MinimumResponseWindow as a TimeSpan (hh:mm:ss).')
param minimumResponseWindow string

@description('CampaignSchedulerSchedule, six-field NCRONTAB (UTC) of the timer that starts due and recurring campaigns.')
param campaignSchedulerSchedule string

@description('CoverageSnapshotSchedule, six-field NCRONTAB (UTC) of the timer that writes the day\'s coverage snapshot.')
param coverageSnapshotSchedule string

@description('PgpExpiryNoticeSchedule, six-field NCRONTAB (UTC) of the timer that tells focal points of OpenPGP keys expiring soon.')
param pgpExpiryNoticeSchedule string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

var identityId = identity.id
var identityClientId = identity.properties.clientId

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with this identity (there is no system-assigned one).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and
// WEBSITE_RUN_FROM_PACKAGE must not be set (the platform rejects them).
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Functions host, Durable Functions (Azure Storage provider) and the app's TableServiceClient: identity-based.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // DefaultAzureCredential in the worker (ACS email) picks the user-assigned identity by this variable.
    AZURE_CLIENT_ID: identityClientId
    // Not a secret: with local auth disabled on the component, ingestion needs the Entra ID token below.
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    Auth__Authority: authAuthority
    Auth__Audience: authAudience
    Auth__BootstrapSecretariat: bootstrapAdminEmail
    Email__Provider: 'Acs'
    Email__SenderAddress: emailSenderAddress
    Email__Acs__Endpoint: emailEndpoint
    Email__MaxPerMinute: string(emailMaxPerMinute)
    Campaigns__AcknowledgementKey: '@Microsoft.KeyVault(SecretUri=${acknowledgementKeyUri})'
    Pgp__SigningKey: '@Microsoft.KeyVault(SecretUri=${pgpSigningKeyUri})'
    Campaigns__PublicBaseUrl: publicBaseUrl
    Campaigns__MinimumResponseWindow: minimumResponseWindow
    // The pace is shared by every instance (one table row, decision 0016); more parallel batches would only wait for it.
    Campaigns__MaxParallelBatches: '1'
    CampaignSchedulerSchedule: campaignSchedulerSchedule
    CoverageSnapshotSchedule: coverageSnapshotSchedule
    PgpExpiryNoticeSchedule: pgpExpiryNoticeSchedule
  }
}

resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
