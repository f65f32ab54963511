/**
 * What every module's {@code gatehouse:} shell commands share: a table that lines up Chinese text
 * ({@link TextTable}), file arguments resolved against the shell's current directory
 * ({@link ShellFiles}), and the caller a command acts as ({@link ShellCaller}).
 */
package org.gatehouse.core.shell;
