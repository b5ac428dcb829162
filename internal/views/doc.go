// Package views renders the console's pages and htmx fragments with templ. It takes
// plain view data from the handlers and knows neither the CarrierX client nor the store.
package views
