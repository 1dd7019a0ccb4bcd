# Runs a generated Vitis HLS Tcl script against stub procedures that record every call, and prints the calls as
# JSON arrays, one per line. Usage: tclsh tcl-harness.tcl <script.tcl> [step]
# Any Vitis command the script uses that is not stubbed here fails ("invalid command name"), so the list below is
# also the set of commands the generated scripts may use.
set script [lindex $argv 0]
set ::lic_calls {}

proc json_str {s} {
  return "\"[string map [list \\ \\\\ \" \\\" \n \\n \r \\r \t \\t] $s]\""
}

foreach cmd {
  open_component open_project open_solution close_project close_solution set_part create_clock set_top add_files
  csim_design csynth_design cosim_design export_design config_interface config_dataflow config_compile config_export
  config_csim config_rtl set_directive_top
} {
  proc $cmd args [string map [list CMD $cmd] {lappend ::lic_calls [linsert $args 0 CMD]}]
}
rename exit lic_real_exit
proc exit args { lappend ::lic_calls [linsert $args 0 exit] }

set ::argv [lrange $argv 1 end]
set ::argc [llength $::argv]
if {[catch {source $script} err]} {
  puts stderr "script failed: $err"
  lic_real_exit 3
}
foreach c $::lic_calls {
  set items {}
  foreach a $c { lappend items [json_str $a] }
  puts "\[[join $items ,]\]"
}
lic_real_exit 0
