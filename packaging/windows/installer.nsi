; Mailwise for Windows: a per-user installer (no administrator rights).
;
; Built by packaging/windows/build_installer.py (make installer-windows):
;   makensis -DVERSION=0.1.0 -DVERSION_NUMBERS=0.1.0.0 -DSOURCE=dist/windows/Mailwise
;            -DOUTFILE=dist/Mailwise-Setup-0.1.0.exe -DICON=resources/icons/mailwise.ico
;
; - installs into %LOCALAPPDATA%\Programs\Mailwise (or where the last version went),
;   a Start-menu shortcut and an "Apps" entry, all under HKCU;
; - installing over an older version replaces its program files in place;
; - pages in English and Japanese (the system's language is preselected);
; - the uninstaller keeps the user's data (%APPDATA%\Mailwise: settings, cache,
;   drafts, outbox) unless its "delete my data" box is ticked, or /REMOVEDATA is
;   given with /S.  Silent: Setup.exe /S, uninstall.exe /S [/REMOVEDATA].

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include MUI2.nsh
!include FileFunc.nsh
!include LogicLib.nsh

!define APP "Mailwise"
!define PUBLISHER "Mailwise"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Mailwise"
!define APP_KEY "Software\Mailwise"
; platformdirs.user_data_dir("Mailwise", appauthor=False, roaming=True) (core/profile.py)
!define DATA_DIR "$APPDATA\Mailwise"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${APP_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_LANGDLL_ALLLANGUAGES

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\mailwise-desktop.exe"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
; No description box: the list gets the page's width for the two long lines.
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_PAGE_CUSTOMFUNCTION_PRE un.ComponentsPre
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first is the fallback for a system in neither language.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Japanese"

LangString ProgramSection ${LANG_ENGLISH} "Mailwise program files"
LangString ProgramSection ${LANG_JAPANESE} "Mailwise のプログラム"
LangString DataSection ${LANG_ENGLISH} "Also delete my data (settings, drafts)"
LangString DataSection ${LANG_JAPANESE} "データも削除する（設定・下書きなど）"

; NSIS's Japanese "インストール(&I)" is clipped on its fixed-width button where the
; UI font is wider (seen under Wine); the accelerator-less word fits.
LangString InstallButton ${LANG_ENGLISH} "&Install"
LangString InstallButton ${LANG_JAPANESE} "インストール"
InstallButtonText "$(InstallButton)"

VIProductVersion "${VERSION_NUMBERS}"
VIFileVersion "${VERSION_NUMBERS}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "© ${PUBLISHER}"

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "Mailwise" SecProgram
  SectionIn RO
  SetShellVarContext current
  ; An older version's program files go first, so no stale module of it stays
  ; beside the new ones; the data folder is elsewhere and untouched.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\mailwise-desktop.exe"
  Delete "$INSTDIR\mailwise.exe"
  SetOutPath "$INSTDIR"
  File /r "${SOURCE}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\mailwise-desktop.exe" "" \
    "$INSTDIR\mailwise-desktop.exe" 0
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\mailwise-desktop.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.Program" UnSecProgram
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\mailwise-desktop.exe"
  Delete "$INSTDIR\mailwise.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
SectionEnd

; Unticked unless asked: the user's mail cache, drafts and outbox outlive the program.
Section /o "un.Data" UnSecData
  SetShellVarContext current
  RMDir /r "${DATA_DIR}"
SectionEnd

; After the sections: their indexes are defined by then.
Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd

; Here, not in un.onInit: language strings there still speak the default language.
Function un.ComponentsPre
  SectionSetText ${UnSecProgram} "$(ProgramSection)"
  SectionSetText ${UnSecData} "$(DataSection)"
FunctionEnd
