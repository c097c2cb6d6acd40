// Links the Function App to the Static Web App as its backend: the portal calls /api on its own origin and the Static
// Web App forwards to the Function App. Separate from static-web-app.bicep because the Function App needs the portal URL
// (for acknowledgement links) and the link needs the Function App: site, then app, then link.

@description('Name of the existing Static Web App.')
param staticWebAppName string

@description('Resource id of the Function App.')
param functionAppId string

@description('Region of the Function App.')
param functionAppLocation string

resource site 'Microsoft.Web/staticSites@2024-04-01' existing = {
  name: staticWebAppName
}

resource backend 'Microsoft.Web/staticSites/linkedBackends@2024-04-01' = {
  parent: site
  name: 'api'
  properties: {
    backendResourceId: functionAppId
    region: functionAppLocation
  }
}
