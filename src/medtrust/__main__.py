from medtrust.cli.main import main

main()
