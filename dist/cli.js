import{createRequire as __acrShipRequire}from'node:module';const require=__acrShipRequire(import.meta.url);
var o=class extends Error{location;constructor(n,e){super(n),this.name="UserError",this.location=e}},s=class extends Error{errors;constructor(n){super(n.map(e=>e.message).join(`
`)),this.name="UserErrors",this.errors=n}};function t(r){return r instanceof o||r instanceof s}function i(r){return(r instanceof Error?r.message:String(r)).replace(/\s*\n\s*/g," ").trim()}var c=`usage: node dist/cli.js <command> [options]
commands: (none yet)`;async function a(r){let[n]=r;return!n||n==="--help"||n==="-h"?(process.stdout.write(c+`
`),n?0:2):(process.stderr.write(`error: unknown command '${n}'
${c}
`),2)}a(process.argv.slice(2)).then(r=>{process.exitCode=r},r=>{process.stderr.write(`error: ${t(r)?r.message:i(r)}
`),process.exitCode=1});
