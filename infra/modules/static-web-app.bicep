// The portal: a Static Web App on the Standard plan (linked backends need it). azd deploys portal/ to it.

@description('Name of the Static Web App.')
param name string

@description('Region of the Static Web App (the service exists in a few regions only).')
param location string

@description('Tags for every resource; azd finds the resource to deploy "web" to by the azd-service-name tag.')
param tags object

resource site 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    provider: 'Custom'
    allowConfigFileUpdates: true
    stagingEnvironmentPolicy: 'Disabled'
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostname}'
