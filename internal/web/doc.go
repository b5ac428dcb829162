// Package web is the console's HTTP side: Echo routes, handlers by area, and the
// middleware chain (security headers, session, sign-in, CSRF) in front of them.
package web
